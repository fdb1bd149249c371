defmodule LiveStash.Install.AppJsTest do
  use ExUnit.Case, async: true

  alias LiveStash.Install.AppJs

  @import ~s|import {LiveSocket} from "phoenix_live_view"\n|
  @added ~s|import initLiveStash from "live-stash"\n|

  defp js(options),
    do: @import <> ~s|const liveSocket = new LiveSocket("/live", Socket, #{options})\n|

  defp patched(source) do
    assert {:ok, new, _what} = AppJs.patch(source, "live-stash")
    new
  end

  defp refused(source) do
    assert {:error, reason} = AppJs.patch(source, "live-stash")
    reason
  end

  describe "params it wraps as they are" do
    for {shape, params} <- [
          object: "{_csrf_token: csrfToken, tz: zone}",
          multi_line_object: "{\n    _csrf_token: csrfToken,\n    tz: zone\n  }",
          arrow: "() => ({_csrf_token: csrfToken})",
          arrow_of_element: "el => ({_csrf_token: csrfToken, id: el.id})",
          typed_arrow: "(el?: HTMLElement) => ({_csrf_token: csrfToken})",
          function: "function (el) { return {_csrf_token: csrfToken} }",
          name: "socketParams",
          quoted_key: "{\"_csrf_token\": csrfToken}"
        ] do
      test "#{shape}" do
        params = unquote(params)

        assert patched(js("{hooks: Hooks, params: #{params}, longPollFallbackMs: 2500}")) ==
                 @import <>
                   @added <>
                   ~s|const liveSocket = new LiveSocket("/live", Socket, | <>
                   "{hooks: Hooks, params: initLiveStash(#{params}), longPollFallbackMs: 2500})\n"
      end
    end

    test "a quoted params key, and a comment before it" do
      source = js("{\n  // CSRF\n  'params': {_csrf_token: csrfToken}\n}")

      assert patched(source) =~
               "  // CSRF\n  'params': initLiveStash({_csrf_token: csrfToken})\n}"
    end

    test "Windows line endings stay Windows line endings" do
      source = String.replace(js("{params: {_csrf_token: csrfToken}}"), "\n", "\r\n")

      assert patched(source) =~
               ~s|phoenix_live_view"\r\nimport initLiveStash from "live-stash"\r\n|

      refute patched(source) =~ ~r/[^\r]\n/
    end
  end

  describe "half done" do
    test "wrapped params without the import: adds the import only" do
      source = js("{params: initLiveStash({_csrf_token: csrfToken})}")

      assert {:ok, new, ["imported initLiveStash from \"live-stash\""]} =
               AppJs.patch(source, "live-stash")

      assert new == String.replace(source, @import, @import <> @added)
    end

    test "the import without wrapped params: wraps them only" do
      source =
        String.replace(js("{params: {_csrf_token: csrfToken}}"), @import, @import <> @added)

      assert {:ok, new, ["wrapped the LiveSocket params in initLiveStash(...)"]} =
               AppJs.patch(source, "live-stash")

      assert new =~ "{params: initLiveStash({_csrf_token: csrfToken})}"
      assert length(String.split(new, "import initLiveStash")) == 2
    end

    test "set up by hand with createLiveStash: left alone" do
      source =
        ~s|import {createLiveStash} from "live-stash"\n| <>
          js("{params: stash.params}") <>
          "const stash = createLiveStash({_csrf_token: csrfToken})\n"

      assert AppJs.patch(source, "live-stash") == :unchanged
    end
  end

  describe "refuses, and edits nothing, when" do
    test "there is no LiveSocket" do
      assert refused(@import) =~ "no `new LiveSocket(...)` found"
    end

    test "there are two" do
      assert refused(js("{params: {}}") <> js("{params: {}}")) =~ "2 `new LiveSocket(...)` found"
    end

    test "the options are not an object literal" do
      assert refused(js("Object.assign({}, opts)")) =~ "options are `Object.assign({}, opts)`"
    end

    test "the options have no params" do
      assert refused(js("{hooks: Hooks}")) =~ "have no `params: ...` property"
    end

    test "params is shorthand" do
      assert refused(js("{params, hooks: Hooks}")) =~ "shorthand `params`"
    end

    test "params is a call, a conditional or a spread expression" do
      for params <- ["getParams()", "debug ? a : b", "{...a} && b", "await load()"] do
        assert refused(js("{params: #{params}}")) =~ "params are `#{params}`"
      end
    end

    test "params holds a comment, a template literal or a division" do
      assert refused(js("{params: {a: 1 /* why */}}")) =~ "hold a comment"
      assert refused(js("{params: {path: `/x`}}")) =~ "a template literal"
      assert refused(js("{params: {now: Date.now() / 1000}}")) =~ "a `/`"
    end

    test "the brackets do not close" do
      assert refused(@import <> ~s|new LiveSocket("/live", Socket, {params: {a: 1}|) =~
               "an unclosed bracket"
    end

    test "LiveSocket is imported some other way" do
      source =
        ~s|import * as LV from "phoenix_live_view"\nnew LiveSocket("/live", Socket, {params: {}})|

      assert refused(source) =~ "no `import {LiveSocket} from \"phoenix_live_view\"` line"
    end
  end
end
