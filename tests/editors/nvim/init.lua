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

local here = debug.getinfo(1, 'S').source:sub(2)
local repo = vim.fn.fnamemodify(here, ':p:h:h:h:h')
vim.opt.runtimepath:prepend(repo .. '/editors/neovim')
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'

-- full JSON-RPC trace in $XDG_CACHE_HOME/nvim/lsp.log (shown by the wrapper on failure)
vim.lsp.set_log_level('debug')

local cfg = vim.fn.json_decode(table.concat(vim.fn.readfile(os.getenv('SPECMARK_TEST_CONFIG')), '\n'))
local results = { steps = {}, nvim = tostring(vim.version().major .. '.' .. vim.version().minor .. '.' .. vim.version().patch) }
local T = cfg.timeout_ms or 30000

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

local function find_line(buf, text)
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  for i = #lines, 1, -1 do
    if lines[i] == text then
      return i - 1
    end
  end
  error('line not found in buffer: ' .. text)
end

local function line_at(buf, lnum)
  return vim.api.nvim_buf_get_lines(buf, lnum, lnum + 1, false)[1]
end

local function diag_list(buf)
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

local function run()
  local specmark = require('specmark')
  specmark.setup({ cmd = cfg.cmd, settings = cfg.settings, api = cfg.api ~= vim.NIL and cfg.api or nil })
  results.api_level = specmark.api_level()

  -- 1. A Markdown file outside spec folders gets no client.
  if cfg.outside then
    vim.cmd('edit ' .. vim.fn.fnameescape(cfg.outside))
    vim.wait(300)
    log('outside', { filetype = vim.bo.filetype, clients = specmark.client(0) and 1 or 0 })
  end

  -- 2. Open the spec's tasks.md and wait for the client.
  local t0 = vim.loop.hrtime()
  vim.cmd('edit ' .. vim.fn.fnameescape(cfg.tasks))
  local buf = vim.api.nvim_get_current_buf()
  local ok = vim.wait(T, function()
    local c = specmark.client(buf)
    return c ~= nil and c.initialized ~= false and not c:is_stopped()
  end, 50)
  local client = specmark.client(buf)
  log('attach', {
    ok = ok,
    filetype = vim.bo[buf].filetype,
    omnifunc = vim.bo[buf].omnifunc,
    root_dir = client and client.config.root_dir or vim.NIL,
    ms = (vim.loop.hrtime() - t0) / 1e6,
  })
  if not ok then
    return
  end

  -- 3. Edit the buffer (didChange) and wait for the expected diagnostic codes.
  if cfg.append and #cfg.append > 0 then
    vim.api.nvim_buf_set_lines(buf, -1, -1, false, cfg.append)
  end
  t0 = vim.loop.hrtime()
  -- every expected code is present, with the expected severity where one is given
  -- (settings may reach the server after the first publish)
  local function has_codes()
    local seen = {}
    for _, d in ipairs(diag_list(buf)) do
      local code = tostring(d.code)
      local want = (cfg.expect_severity or {})[code]
      if want == nil or want == d.severity then
        seen[code] = true
      end
    end
    for _, code in ipairs(cfg.expect_codes or {}) do
      if not seen[code] then
        return false
      end
    end
    return true
  end
  ok = vim.wait(T, has_codes, 50)
  log('diagnostics', { ok = ok, ms = (vim.loop.hrtime() - t0) / 1e6, diagnostics = diag_list(buf) })

  -- 4. Completion at a reference line.
  if cfg.completion then
    local lnum = find_line(buf, cfg.completion.line)
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(buf) },
      position = { line = lnum, character = cfg.completion.col },
      context = { triggerKind = 1 },
    }
    t0 = vim.loop.hrtime()
    local resp, err = vim.lsp.buf_request_sync(buf, 'textDocument/completion', params, T)
    local labels = {}
    for _, r in pairs(resp or {}) do
      local res = r.result or {}
      for _, item in ipairs(res.items or res) do
        table.insert(labels, item.label)
      end
      if r.err then
        err = r.err
      end
    end
    log('completion', { ms = (vim.loop.hrtime() - t0) / 1e6, labels = labels, err = err and vim.inspect(err) or vim.NIL })
  end

  -- 5. Code action through the user path (vim.lsp.buf.code_action + vim.ui.select).
  if cfg.code_action then
    local ca = cfg.code_action
    local lnum = find_line(buf, ca.line)
    vim.api.nvim_win_set_cursor(0, { lnum + 1, 4 })
    local offered, chosen = {}, vim.NIL
    vim.ui.select = function(items, opts, on_choice)
      local pick, idx
      for i, item in ipairs(items) do
        local title = opts.format_item and opts.format_item(item) or tostring(item)
        table.insert(offered, title)
        if not pick and title:find(ca.title, 1, true) then
          pick, idx, chosen = item, i, title
        end
      end
      on_choice(pick, idx)
    end
    t0 = vim.loop.hrtime()
    vim.lsp.buf.code_action()
    ok = vim.wait(T, function()
      return line_at(buf, lnum) == ca.expect
    end, 50)
    log('code_action', {
      ok = ok,
      ms = (vim.loop.hrtime() - t0) / 1e6,
      offered = offered,
      chosen = chosen,
      line = line_at(buf, lnum),
    })
  end

  -- 6. The toggle key (workspace/executeCommand specmark.toggleTask -> workspace/applyEdit).
  if cfg.toggle_key then
    local tk = cfg.toggle_key
    local lnum = find_line(buf, tk.line)
    vim.api.nvim_win_set_cursor(0, { lnum + 1, 0 })
    local key = specmark.config.toggle_key
    local mapped = vim.fn.maparg(key, 'n', false, true)
    t0 = vim.loop.hrtime()
    vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(key, true, false, true), 'mx', false)
    ok = vim.wait(T, function()
      return line_at(buf, lnum) == tk.expect
    end, 50)
    log('toggle_key', {
      ok = ok,
      key = key,
      buffer_local = mapped.buffer == 1,
      ms = (vim.loop.hrtime() - t0) / 1e6,
      line = line_at(buf, lnum),
    })
  end

  -- 7. The toggle on a line that is not a task: vim.notify with the server's reason.
  if cfg.toggle_nontask then
    local tn = cfg.toggle_nontask
    local notified = {}
    local notify = vim.notify
    vim.notify = function(msg, level)
      table.insert(notified, { msg = msg, level = level })
    end
    local lnum = find_line(buf, tn.line)
    vim.api.nvim_win_set_cursor(0, { lnum + 1, 0 })
    local before = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
    specmark.toggle_task(buf)
    ok = vim.wait(T, function()
      for _, n in ipairs(notified) do
        if n.msg:find(tn.reason, 1, true) then
          return true
        end
      end
      return false
    end, 50)
    vim.notify = notify
    log('toggle_nontask', {
      ok = ok,
      notified = notified,
      unchanged = before == table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n'),
    })
  end

  -- 8. Spec documents outside the usual spec folders, found by their folder's contents.
  for _, path in ipairs(cfg.plain_spec or {}) do
    vim.cmd('edit ' .. vim.fn.fnameescape(path))
    local b = vim.api.nvim_get_current_buf()
    local attached = vim.wait(T, function()
      local c = specmark.client(b)
      return c ~= nil and c.initialized ~= false and not c:is_stopped()
    end, 50)
    local c = specmark.client(b)
    log('plain_spec', { path = path, ok = attached, root_dir = c and c.config.root_dir or vim.NIL })
  end
  if cfg.not_spec then
    vim.cmd('edit ' .. vim.fn.fnameescape(cfg.not_spec))
    vim.wait(300)
    log('not_spec', { filetype = vim.bo.filetype, clients = specmark.client(0) and 1 or 0 })
  end

  -- 9. :checkhealth specmark explains each buffer.
  vim.cmd('checkhealth specmark')
  log('health', { text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n') })
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
