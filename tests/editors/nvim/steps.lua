-- The steps of the headless Neovim driver (init.lua), in the order it runs them. Each takes the
-- run's context { cfg, timeout, log, specmark, buf } and records what it saw with ctx.log(step, data).
local h = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h') .. '/helpers.lua')

local M = {}

-- 1. A Markdown file outside spec folders gets no client.
function M.outside(ctx)
  vim.cmd('edit ' .. vim.fn.fnameescape(ctx.cfg.outside))
  vim.wait(300)
  ctx.log('outside', { filetype = vim.bo.filetype, clients = ctx.specmark.client(0) and 1 or 0 })
end

-- 2. Open the spec's tasks.md and wait for the client; true when it runs.
function M.attach(ctx)
  local t0 = vim.loop.hrtime()
  vim.cmd('edit ' .. vim.fn.fnameescape(ctx.cfg.tasks))
  local buf = vim.api.nvim_get_current_buf()
  ctx.buf = buf
  local ok, client = h.wait_client(ctx.specmark, buf, ctx.timeout)
  ctx.log('attach', {
    ok = ok,
    filetype = vim.bo[buf].filetype,
    omnifunc = vim.bo[buf].omnifunc,
    root_dir = client and client.config.root_dir or vim.NIL,
    ms = h.ms_since(t0),
  })
  return ok
end

-- 3. Edit the buffer (didChange) and wait for the expected diagnostic codes.
function M.diagnostics(ctx)
  local cfg, buf = ctx.cfg, ctx.buf
  if cfg.append and #cfg.append > 0 then
    vim.api.nvim_buf_set_lines(buf, -1, -1, false, cfg.append)
  end
  local t0 = vim.loop.hrtime()
  -- every expected code is present, with the expected severity where one is given
  -- (settings may reach the server after the first publish)
  local function has_codes()
    local seen = {}
    for _, d in ipairs(h.diag_list(buf)) do
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
  local ok = vim.wait(ctx.timeout, has_codes, 50)
  ctx.log('diagnostics', { ok = ok, ms = h.ms_since(t0), diagnostics = h.diag_list(buf) })
end

-- 4. Completion at a reference line.
function M.completion(ctx)
  local buf = ctx.buf
  local lnum = h.find_line(buf, ctx.cfg.completion.line)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = lnum, character = ctx.cfg.completion.col },
    context = { triggerKind = 1 },
  }
  local t0 = vim.loop.hrtime()
  local resp, err = vim.lsp.buf_request_sync(buf, 'textDocument/completion', params, ctx.timeout)
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
  ctx.log('completion', { ms = h.ms_since(t0), labels = labels, err = err and vim.inspect(err) or vim.NIL })
end

-- 5. Code action through the user path (vim.lsp.buf.code_action + vim.ui.select).
function M.code_action(ctx)
  local buf, ca = ctx.buf, ctx.cfg.code_action
  local lnum = h.find_line(buf, ca.line)
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
  local t0 = vim.loop.hrtime()
  vim.lsp.buf.code_action()
  local ok = vim.wait(ctx.timeout, function()
    return h.line_at(buf, lnum) == ca.expect
  end, 50)
  ctx.log('code_action', {
    ok = ok,
    ms = h.ms_since(t0),
    offered = offered,
    chosen = chosen,
    line = h.line_at(buf, lnum),
  })
end

-- 6. The toggle key (workspace/executeCommand specmark.toggleTask -> workspace/applyEdit).
function M.toggle_key(ctx)
  local buf, tk = ctx.buf, ctx.cfg.toggle_key
  local lnum = h.find_line(buf, tk.line)
  vim.api.nvim_win_set_cursor(0, { lnum + 1, 0 })
  local key = ctx.specmark.config.toggle_key
  local mapped = vim.fn.maparg(key, 'n', false, true)
  local t0 = vim.loop.hrtime()
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(key, true, false, true), 'mx', false)
  local ok = vim.wait(ctx.timeout, function()
    return h.line_at(buf, lnum) == tk.expect
  end, 50)
  ctx.log('toggle_key', {
    ok = ok,
    key = key,
    buffer_local = mapped.buffer == 1,
    ms = h.ms_since(t0),
    line = h.line_at(buf, lnum),
  })
end

-- 7. The toggle on a line that is not a task: vim.notify with the server's reason.
function M.toggle_nontask(ctx)
  local buf, tn = ctx.buf, ctx.cfg.toggle_nontask
  local notified = {}
  local notify = vim.notify
  vim.notify = function(msg, level)
    table.insert(notified, { msg = msg, level = level })
  end
  local lnum = h.find_line(buf, tn.line)
  vim.api.nvim_win_set_cursor(0, { lnum + 1, 0 })
  local before = h.buffer_text(buf)
  ctx.specmark.toggle_task(buf)
  local ok = vim.wait(ctx.timeout, function()
    for _, n in ipairs(notified) do
      if n.msg:find(tn.reason, 1, true) then
        return true
      end
    end
    return false
  end, 50)
  vim.notify = notify
  ctx.log('toggle_nontask', {
    ok = ok,
    notified = notified,
    unchanged = before == h.buffer_text(buf),
  })
end

-- 8. Spec documents outside the usual spec folders, found by their folder's contents; a
-- design.md in a folder that holds no spec document gets no client.
function M.plain_spec(ctx)
  for _, path in ipairs(ctx.cfg.plain_spec or {}) do
    vim.cmd('edit ' .. vim.fn.fnameescape(path))
    local attached, c = h.wait_client(ctx.specmark, vim.api.nvim_get_current_buf(), ctx.timeout)
    ctx.log('plain_spec', { path = path, ok = attached, root_dir = c and c.config.root_dir or vim.NIL })
  end
  if ctx.cfg.not_spec then
    vim.cmd('edit ' .. vim.fn.fnameescape(ctx.cfg.not_spec))
    vim.wait(300)
    ctx.log('not_spec', { filetype = vim.bo.filetype, clients = ctx.specmark.client(0) and 1 or 0 })
  end
end

-- 9. :checkhealth specmark explains each buffer.
function M.health(ctx)
  vim.cmd('checkhealth specmark')
  ctx.log('health', { text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n') })
end

return M
