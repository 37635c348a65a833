-- Drive `tffix lsp` from a real Neovim (0.7.2, Debian bookworm's), headless.
--
-- nvim --headless --clean -n -i NONE \
--   --cmd "lua _G.arg_py='python'; _G.arg_file='main.tf'; _G.arg_action='quickfix'; _G.arg_out='out.json'" \
--   -c "luafile e2e.lua"
--
-- Opens arg_file, starts the server with the 0.7 API (start_client + buf_attach_client), waits
-- for its diagnostics, then applies a fix the way a user would: arg_action "quickfix" puts the
-- cursor on the first diagnostic and applies the preferred quick fix, "fixall" applies the
-- source.fixAll action, "format" runs formatting_sync.  `:wall` writes every buffer the edit
-- touched (also files that were never opened), and arg_out receives what the editor saw.
-- Every wait is bounded; any error exits non-zero instead of leaving nvim waiting for input.

local TIMEOUT = 15000

local function main()
  vim.cmd("edit " .. vim.fn.fnameescape(_G.arg_file))
  local buf = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "tffix",
    cmd = { _G.arg_py, "-m", "tffix", "lsp" },
    root_dir = vim.fn.fnamemodify(_G.arg_file, ":p:h"),
  })
  assert(client_id, "the server did not start")
  assert(vim.lsp.buf_attach_client(buf, client_id), "cannot attach the client")
  assert(vim.wait(TIMEOUT, function() return #vim.diagnostic.get(buf) > 0 end, 20), "no diagnostics")
  local client = vim.lsp.get_client_by_id(client_id)

  local seen = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(seen, { lnum = d.lnum, col = d.col, end_col = d.end_col, message = d.message })
  end
  local first = vim.diagnostic.get(buf)[1]
  vim.api.nvim_win_set_cursor(0, { first.lnum + 1, first.col })

  local report = { diagnostics = seen, offset_encoding = client.offset_encoding, actions = {} }
  if _G.arg_action == "format" then
    vim.lsp.buf.formatting_sync(nil, TIMEOUT)
  else
    local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
    local only = _G.arg_action == "fixall" and { "source.fixAll" } or { "quickfix" }
    params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf), only = only }
    local responses = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, TIMEOUT)
    assert(responses, "no answer to textDocument/codeAction")
    local chosen
    for _, response in pairs(responses) do
      assert(not response.err, vim.inspect(response.err))
      for _, action in ipairs(response.result or {}) do
        table.insert(report.actions, { title = action.title, kind = action.kind })
        if chosen == nil and (action.isPreferred or _G.arg_action == "fixall") then
          chosen = action
        end
      end
    end
    assert(chosen and chosen.edit, "no applicable code action")
    vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  end

  vim.cmd("silent wall")
  vim.fn.writefile({ vim.fn.json_encode(report) }, _G.arg_out)
  vim.lsp.stop_client(client_id)
  vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  io.stderr:write("e2e.lua: " .. tostring(err) .. "\n")
  vim.cmd("cquit 1")
end
vim.cmd("qall!")
