defmodule LiveStash.InstallTest do
  use ExUnit.Case, async: true

  doctest LiveStash.Install
  doctest LiveStash.Install.AppJs
  doctest LiveStash.Install.ConfigExs
  doctest LiveStash.Install.Diff
  doctest LiveStash.Install.JsScan
  doctest LiveStash.Install.Project
end
