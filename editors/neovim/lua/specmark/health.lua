-- :checkhealth specmark
local M = {}

-- vim.health.start/ok/... (0.9+), vim.health.report_* (0.8), require('health').report_* (0.7)
local function reporter()
  local h = vim.health
  if not (h and (h.start or h.report_start)) then
    h = require('health')
  end
  return {
    start = h.start or h.report_start,
    ok = h.ok or h.report_ok,
    info = h.info or h.report_info,
    warn = h.warn or h.report_warn,
    error = h.error or h.report_error,
  }
end

function M.check()
  local r = reporter()
  local specmark = require('specmark')
  local cfg = specmark.config

  r.start('specmark')
  local v = vim.version()
  r.info(('Neovim %d.%d.%d; the server is started with %s'):format(v.major, v.minor, v.patch, specmark.api_level()))
  if vim.fn.has('nvim-0.7') ~= 1 then
    r.error('Neovim 0.7 or newer is required')
  end

  local exe = cfg.cmd[1]
  local path = vim.fn.exepath(exe)
  if vim.fn.executable(exe) ~= 1 or path == '' then
    r.error(('server executable not found: %s (cmd = %s)'):format(exe, vim.inspect(cfg.cmd)), {
      'Install the server: pip install specmark (or pipx install specmark)',
      "Or point setup{} at it: require('specmark').setup { cmd = { '/path/to/python', '-m', 'specmark', 'serve' } }",
    })
  else
    r.ok(('server executable found: %s'):format(path))
    -- Check that the server command can run: <cmd> --help must exit 0.
    local probe = vim.deepcopy(cfg.cmd)
    table.insert(probe, '--help')
    local out = vim.fn.system(probe)
    if vim.v.shell_error == 0 then
      r.ok(('`%s` runs'):format(table.concat(probe, ' ')))
    else
      r.warn(('`%s` exited with %d: %s'):format(table.concat(probe, ' '), vim.v.shell_error, vim.trim(out or '')))
    end
  end

  if cfg.toggle_key then
    r.info(('toggle key (normal mode, buffer-local): %s'):format(cfg.toggle_key))
  else
    r.info('no toggle key mapped (toggle_key = false); use :SpecmarkToggle')
  end

  -- Why each Markdown buffer was, or was not, attached.
  if not cfg.autostart then
    r.info('autostart = false: no buffer is attached automatically (call require("specmark").attach())')
  end
  local seen = false
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    local d = specmark.decisions[b]
    local name = vim.api.nvim_buf_get_name(b)
    if d and vim.api.nvim_buf_is_valid(b) then
      seen = true
      if d.attached then
        r.ok(('buffer %d %s: attached (%s)'):format(b, d.path, d.reason))
      elseif vim.tbl_contains(cfg.filenames, vim.fn.fnamemodify(d.path, ':t')) then
        r.warn(('buffer %d %s: not attached: %s'):format(b, d.path, d.reason), {
          'A spec document is attached when its folder holds a tasks.md, requirements.md, bugfix.md or spec.md,',
          'or when it sits in one of spec_dirs (<root>/<spec_dir>/<name>/).',
          "For other layouts: require('specmark').setup { spec_dirs = { 'docs/specs', ... } }",
        })
      else
        r.info(('buffer %d %s: not attached: %s'):format(b, d.path, d.reason))
      end
    elseif name ~= '' and vim.api.nvim_buf_is_loaded(b) and vim.bo[b].buftype == ''
      and vim.fn.fnamemodify(name, ':e') == 'md' and not vim.tbl_contains(cfg.filetypes, vim.bo[b].filetype) then
      seen = true
      r.info(('buffer %d %s: not checked: filetype %q is not in filetypes (%s)'):format(
        b, name, vim.bo[b].filetype, table.concat(cfg.filetypes, ', ')))
    end
  end
  if not seen then
    r.info('no Markdown buffer has been checked yet (open a tasks.md, requirements.md or design.md)')
  end

  local n = 0
  local all = vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()
  for _, c in pairs(all) do
    if c.name == 'specmark' then
      n = n + 1
      r.info(('running client %d, root %s'):format(c.id, tostring(c.config.root_dir)))
    end
  end
  if n == 0 then
    r.info('no specmark client running (open a tasks.md inside a spec folder such as .kiro/specs/<name>/)')
  end
end

return M
