-- Headless Neovim driver for tests/editors/test_neovim.py.
--
--   SPECMARK_TEST_CONFIG=path/to/config.json nvim --headless -i NONE -u tests/editors/nvim/init.lua
--
-- config.json (written by the pytest wrapper):
--   cmd            server command (list)
--   settings       setup{ settings = ... }
--   tasks          path of a tasks.md inside a spec folder
--   outside        path of a Markdown file outside any spec folder (must get no client)
--   append         lines appended to the tasks.md buffer (exercises didChange)
--   expect_codes   diagnostic codes to wait for
--   completion     { line = <exact line text>, col = <0-based byte column> }
--   code_action    { line = <exact line text>, title = <action title>, expect = <line text after> }
--   toggle_key     { line = <exact line text>, expect = <line text after> }
--   timeout_ms     per-step timeout
--   api            optional: force the plugin's start-up path (setup{ api = ... })
-- It writes results as JSON to config.out and quits (exit code 0; failures are
-- reported in the JSON so that the wrapper can print what was seen).
--
-- The steps are in steps.lua (buffer and client helpers in helpers.lua); this file sets Neovim
-- up, runs them in order and writes the results.

local here = debug.getinfo(1, 'S').source:sub(2)
local repo = vim.fn.fnamemodify(here, ':p:h:h:h:h')
vim.opt.runtimepath:prepend(repo .. '/editors/neovim')
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'

-- full JSON-RPC trace in $XDG_CACHE_HOME/nvim/lsp.log (shown by the wrapper on failure)
vim.lsp.set_log_level('debug')

local steps = dofile(vim.fn.fnamemodify(here, ':p:h') .. '/steps.lua')
local cfg = vim.fn.json_decode(table.concat(vim.fn.readfile(os.getenv('SPECMARK_TEST_CONFIG')), '\n'))
local results = { steps = {}, nvim = tostring(vim.version().major .. '.' .. vim.version().minor .. '.' .. vim.version().patch) }

local function log(step, data)
  data = data or {}
  data.step = step
  data.t = vim.loop.hrtime() / 1e6
  table.insert(results.steps, data)
end

local function finish()
  results.messages = vim.fn.execute('messages')
  local f = io.open(cfg.out, 'w')
  f:write(vim.fn.json_encode(results))
  f:close()
  vim.cmd('qa!')
end

local function run()
  local specmark = require('specmark')
  specmark.setup({ cmd = cfg.cmd, settings = cfg.settings, api = cfg.api ~= vim.NIL and cfg.api or nil })
  results.api_level = specmark.api_level()
  local ctx = { cfg = cfg, timeout = cfg.timeout_ms or 30000, log = log, specmark = specmark }

  if cfg.outside then
    steps.outside(ctx)
  end
  if not steps.attach(ctx) then
    return
  end
  steps.diagnostics(ctx)
  -- the steps the config asks for (a key of the same name)
  for _, name in ipairs({ 'completion', 'code_action', 'toggle_key', 'toggle_nontask' }) do
    if cfg[name] then
      steps[name](ctx)
    end
  end
  steps.plain_spec(ctx)
  steps.health(ctx)
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  nested = true, -- let :edit fire BufRead/FileType autocmds
  callback = function()
    local ok, err = xpcall(run, debug.traceback)
    if not ok then
      results.error = err
    end
    finish()
  end,
})
