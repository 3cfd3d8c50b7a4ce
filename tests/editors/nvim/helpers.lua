-- Buffer and client helpers of the headless Neovim driver (init.lua).
local M = {}

-- 0-based number of the last line of `buf` equal to `text` (an error when there is none).
function M.find_line(buf, text)
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  for i = #lines, 1, -1 do
    if lines[i] == text then
      return i - 1
    end
  end
  error('line not found in buffer: ' .. text)
end

function M.line_at(buf, lnum)
  return vim.api.nvim_buf_get_lines(buf, lnum, lnum + 1, false)[1]
end

function M.buffer_text(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
end

-- The diagnostics of `buf` as plain tables (for the JSON results).
function M.diag_list(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out, {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      severity = d.severity,
      code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or vim.NIL,
      source = d.source or vim.NIL,
      message = d.message,
    })
  end
  return out
end

-- Waits up to `timeout` ms for a running specmark client on `buf`: ok, client (or nil).
function M.wait_client(specmark, buf, timeout)
  local ok = vim.wait(timeout, function()
    local c = specmark.client(buf)
    return c ~= nil and c.initialized ~= false and not c:is_stopped()
  end, 50)
  return ok, specmark.client(buf)
end

function M.ms_since(t0)
  return (vim.loop.hrtime() - t0) / 1e6
end

return M
