defmodule LiveStash.Test.Define do
  @moduledoc """
  Compiles a test LiveView at runtime, so a test can redefine the same module with
  other options (a new `:version` is the same LiveView after a deploy).
  """

  def view!(module, live_stash_opts, template \\ LiveStash.Test.View) do
    ast =
      quote do
        defmodule unquote(module) do
          use unquote(template), unquote(live_stash_opts)
        end
      end

    previous = Code.compiler_options()[:ignore_module_conflict]
    Code.compiler_options(ignore_module_conflict: true)

    try do
      Code.compile_quoted(ast)
    after
      Code.compiler_options(ignore_module_conflict: previous)
    end

    module
  end
end
