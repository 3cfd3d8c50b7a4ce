-- specmark.nvim: start the specmark language server for spec documents (tasks.md,
-- requirements.md, design.md, bugfix.md, spec.md) in spec folders (.kiro/specs/<name>/,
-- specs/<name>/, ..., or any folder holding a tasks.md, requirements.md, bugfix.md or
-- spec.md, as `specmark check <folder>` reads it), on Neovim 0.7 - 0.11+.
--
--   require('specmark').setup {}                      -- defaults below
--   require('specmark').setup { toggle_key = '<leader>tt',
--     settings = { specmark = { severity = { ['missing-requirements'] = 'error' } } } }
--
-- How the server is started depends on the Neovim version:
--   0.11+     vim.lsp.config('specmark', {...}) + vim.lsp.enable('specmark')
--   0.8-0.10  vim.lsp.start() from a FileType autocmd
--   0.7       vim.lsp.start_client() + vim.lsp.buf_attach_client() from a FileType autocmd
local M = {}

M.defaults = {
  -- Command that starts the server over stdio.
  cmd = { 'specmark', 'serve' },
  filetypes = { 'markdown' },
  -- A buffer is handled when its file sits inside <root>/<spec_dir>/<name>/ ...
  spec_dirs = { '.kiro/specs', '.spec-workflow/specs', '.claude/specs', 'specs', 'openspec/changes' },
  -- ... and its file name is one of these.
  filenames = { 'tasks.md', 'requirements.md', 'bugfix.md', 'spec.md', 'design.md' },
  -- How many directories below <spec_dir>/<name>/ a spec file may sit
  -- (openspec: openspec/changes/<name>/specs/<capability>/spec.md).
  max_depth = 3,
  -- Answers workspace/configuration (section "specmark") and is sent in
  -- workspace/didChangeConfiguration.
  settings = { specmark = {} },
  init_options = nil,
  -- Buffer-local normal-mode key that toggles the task checkbox on the cursor
  -- line through the server (workspace/executeCommand specmark.toggleTask).
  -- Set to false to map nothing.
  toggle_key = '<leader>x',
  -- Also define the buffer-local :SpecmarkToggle command.
  user_command = true,
  -- Extra LSP client options.
  on_attach = nil,
  on_init = nil,
  capabilities = nil,
  -- Start the server automatically for matching buffers.
  autostart = true,
  -- Force a start-up path instead of the one for this Neovim version:
  -- 'vim.lsp.config' (0.11+), 'vim.lsp.start' (0.8+) or 'vim.lsp.start_client'.
  api = nil,
}

M.config = vim.deepcopy(M.defaults)

local function has(feature)
  return vim.fn.has(feature) == 1
end

--- Which API this Neovim uses to start the server.
function M.api_level()
  if type(M.config.api) == 'string' then
    return M.config.api
  end
  if has('nvim-0.11') and vim.lsp.config and vim.lsp.enable then
    return 'vim.lsp.config'
  elseif has('nvim-0.8') and vim.lsp.start then
    return 'vim.lsp.start'
  end
  return 'vim.lsp.start_client'
end

local function normalize(path)
  path = path:gsub('\\', '/')
  if #path > 1 then
    path = path:gsub('/+$', '')
  end
  return path
end

local function dirname(path)
  local d = path:match('^(.*)/[^/]*$')
  if d == '' then
    return '/'
  end
  return d
end

local function basename(path)
  return path:match('([^/]*)$')
end

local function ends_with(s, suffix)
  return suffix == '' or s:sub(-#suffix) == suffix
end

local function exists(path)
  return vim.loop.fs_stat(path) ~= nil
end

-- The documents that make a folder a spec for `specmark check <folder>` (core/discovery.py,
-- spec_for_folder): a tasks document or a requirements document.
M.spec_documents = { 'tasks.md', 'requirements.md', 'bugfix.md', 'spec.md' }

--- Whether a folder is a spec by the CLI's rule for a folder given on the command line
-- (core/discovery.py spec_for_folder). Returns true, or false and the reason.
function M.folder_is_spec(dir)
  local parent = dirname(dir)
  if basename(dir) == 'checklists' and (exists(parent .. '/spec.md') or exists(parent .. '/plan.md')) then
    return false, ('%s is a spec-kit checklists/ folder (its requirements.md is a checklist)'):format(dir)
  end
  local tasks, req = exists(dir .. '/tasks.md'), nil
  for _, n in ipairs({ 'requirements.md', 'bugfix.md', 'spec.md' }) do
    if exists(dir .. '/' .. n) then
      req = n
      break
    end
  end
  if not tasks and not req then
    return false, ('%s holds no %s'):format(dir, table.concat(M.spec_documents, ', '))
  end
  local in_openspec = (dir .. '/'):find('/openspec/specs/', 1, true) or (dir .. '/'):find('/openspec/changes/', 1, true)
  if not tasks and req == 'spec.md' and (basename(parent) ~= 'specs' or in_openspec) then
    return false, ('%s holds only a spec.md outside specs/<name>/ (an OpenSpec capability, not a spec folder)'):format(dir)
  end
  return true
end

-- The project root of a spec folder found by its contents: the nearest folder above it with
-- .git or .specmark.toml (the server reads the configuration there), else the spec's parent.
local function project_root(dir)
  local d = dir
  while true do
    if exists(d .. '/.git') or exists(d .. '/.specmark.toml') then
      return d
    end
    local up = dirname(d)
    if up == d then
      return dirname(dir)
    end
    d = up
  end
end

--- Spec information for a file path, or nil and the reason when it is not a spec document.
-- Returns { root = <project root>, spec = <spec folder>, name = <spec name> }.
-- A spec document is a file named in `filenames` that sits inside a spec folder
-- (<root>/<spec_dir>/<name>/, up to max_depth below) or whose folder is a spec by the
-- CLI's rule (it holds a tasks.md, requirements.md, bugfix.md or spec.md: folder_is_spec).
function M.spec_info(path, cfg)
  cfg = cfg or M.config
  if not path or path == '' then
    return nil, 'the buffer has no file name'
  end
  path = normalize(vim.fn.fnamemodify(path, ':p'))
  local fname = basename(path)
  if not vim.tbl_contains(cfg.filenames, fname) then
    return nil, ('%s is not one of the spec documents (filenames = %s)'):format(fname, table.concat(cfg.filenames, ', '))
  end
  local folder = dirname(path)
  local dir = folder -- candidate <spec_dir>/<name>[/...]
  for _ = 0, cfg.max_depth do
    local parent = dirname(dir)
    if parent == dir then
      break
    end
    for _, sd in ipairs(cfg.spec_dirs) do
      sd = normalize(sd)
      if ends_with(parent, '/' .. sd) then
        local root = parent:sub(1, #parent - #sd - 1)
        if root == '' then
          root = '/'
        end
        return { root = root, spec = dir, name = basename(dir) }
      end
    end
    dir = parent
  end
  local ok, why = M.folder_is_spec(folder)
  if ok then
    return { root = project_root(folder), spec = folder, name = basename(folder) }
  end
  return nil, ('not in a spec folder (spec_dirs = %s), and %s'):format(table.concat(cfg.spec_dirs, ', '), why)
end

-- Why each buffer was or was not attached (for :checkhealth specmark), by buffer number.
M.decisions = {}

local function decide(bufnr, path, attached, reason)
  M.decisions[bufnr] = { path = path or '', attached = attached, reason = reason }
end

local function buf_path(bufnr)
  if vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  return vim.api.nvim_buf_get_name(bufnr)
end

local function get_clients(bufnr)
  if vim.lsp.get_clients then -- 0.10+
    return vim.lsp.get_clients({ bufnr = bufnr, name = 'specmark' })
  end
  local out = {}
  for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if c.name == 'specmark' then
      table.insert(out, c)
    end
  end
  return out
end

--- The specmark client attached to a buffer (or nil).
function M.client(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  return get_clients(bufnr)[1]
end

local function client_request(client, method, params, handler, bufnr)
  if has('nvim-0.11') then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

--- Toggle the task checkbox on a line (0-based; default: cursor line) via the server.
function M.toggle_task(bufnr, line)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if line == nil then
    line = vim.api.nvim_win_get_cursor(0)[1] - 1
  end
  local client = M.client(bufnr)
  if not client then
    vim.notify('specmark: no language server attached to this buffer', vim.log.levels.WARN)
    return false
  end
  local params = { command = 'specmark.toggleTask', arguments = { vim.uri_from_bufnr(bufnr), line } }
  client_request(client, 'workspace/executeCommand', params, function(err, result)
    if err then
      vim.notify('specmark: toggle failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.WARN)
    elseif type(result) == 'table' and result.applied == false and type(result.reason) == 'string' then
      vim.notify('specmark: ' .. result.reason, vim.log.levels.INFO)
    end
  end, bufnr)
  return true
end

local function on_attach(client, bufnr)
  local cfg = M.config
  -- <C-x><C-o> completes requirement IDs. Replace only the empty value and the
  -- HTML tag completion that Vim's markdown ftplugin sets.
  local omni = vim.bo[bufnr].omnifunc
  if omni == '' or omni == 'htmlcomplete#CompleteTags' then
    vim.bo[bufnr].omnifunc = 'v:lua.vim.lsp.omnifunc'
  end
  if cfg.toggle_key then
    vim.api.nvim_buf_set_keymap(bufnr, 'n', cfg.toggle_key, '', {
      noremap = true,
      silent = true,
      desc = 'specmark: toggle task checkbox',
      callback = function()
        M.toggle_task(bufnr)
      end,
    })
  end
  if cfg.user_command then
    vim.api.nvim_buf_create_user_command(bufnr, 'SpecmarkToggle', function(opts)
      M.toggle_task(bufnr, opts.line1 - 1)
    end, { range = true, desc = 'specmark: toggle the task checkbox on this line' })
  end
  if cfg.on_attach then
    cfg.on_attach(client, bufnr)
  end
end

-- An empty Lua table is encoded as a JSON array; make empty settings an object.
local function settings_table(settings)
  settings = vim.deepcopy(settings or {})
  if type(settings.specmark) == 'table' and vim.tbl_isempty(settings.specmark) then
    settings.specmark = vim.empty_dict()
  end
  return settings
end

-- Neovim < 0.10 neither advertises workspace/configuration (0.7) nor always
-- sends the settings after initialize: push them once, as nvim-lspconfig does.
local function on_init(client)
  if not has('nvim-0.10') and client.config.settings then
    client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
  end
  if M.config.on_init then
    M.config.on_init(client)
  end
end

-- Neovim prints "Workspace edit <label>" for every workspace/applyEdit that has a label
-- (0.7 - 0.11): a toggle is not worth a message. The edit is applied by Neovim's handler.
local function apply_edit(err, params, ctx, config)
  if type(params) == 'table' and params.label then
    params = vim.tbl_extend('force', {}, params)
    params.label = nil
  end
  return vim.lsp.handlers['workspace/applyEdit'](err, params, ctx, config)
end

local function client_config(root)
  local cfg = M.config
  local c = {
    handlers = { ['workspace/applyEdit'] = apply_edit },
    on_init = on_init,
    name = 'specmark',
    cmd = cfg.cmd,
    root_dir = root,
    settings = settings_table(cfg.settings),
    init_options = cfg.init_options,
    capabilities = cfg.capabilities,
    on_attach = on_attach,
  }
  return c
end

-- Neovim 0.7: one client per root, attached by hand.
local clients_by_root = {}

local function start_legacy(bufnr, root)
  local id = clients_by_root[root]
  if id and not vim.lsp.get_client_by_id(id) then
    id = nil
  end
  if not id then
    local c = client_config(root)
    c.on_exit = function()
      clients_by_root[root] = nil
    end
    id = vim.lsp.start_client(c)
    if not id then
      return nil
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- Start (or reuse) the server for a buffer if it is a spec file. Returns the client id.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local path = buf_path(bufnr)
  if path == nil then
    decide(bufnr, vim.api.nvim_buf_get_name(bufnr), false, 'not a file buffer (buftype = ' .. vim.bo[bufnr].buftype .. ')')
    return nil
  end
  local info, why = M.spec_info(path)
  if not info then
    decide(bufnr, path, false, why)
    return nil
  end
  if vim.fn.executable(M.config.cmd[1]) ~= 1 then
    decide(bufnr, path, false, ('the server command %s is not executable'):format(M.config.cmd[1]))
    vim.notify_once(
      ('specmark: %s is not executable; see :checkhealth specmark'):format(M.config.cmd[1]),
      vim.log.levels.WARN
    )
    return nil
  end
  decide(bufnr, path, true, 'spec ' .. info.spec .. ', root ' .. info.root)
  if M.api_level() == 'vim.lsp.start_client' then
    return start_legacy(bufnr, info.root)
  end
  return vim.lsp.start(client_config(info.root), { bufnr = bufnr })
end

local augroup

function M.setup(opts)
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts or {})
  -- lists are replaced, not merged
  for _, k in ipairs({ 'cmd', 'filetypes', 'spec_dirs', 'filenames' }) do
    if opts and opts[k] then
      M.config[k] = opts[k]
    end
  end
  if not M.config.autostart then
    return M
  end

  if M.api_level() == 'vim.lsp.config' then
    local c = client_config(nil)
    c.filetypes = M.config.filetypes
    c.root_dir = function(bufnr, on_dir)
      local path = buf_path(bufnr)
      local info, why = M.spec_info(path)
      if info then
        decide(bufnr, path, true, 'spec ' .. info.spec .. ', root ' .. info.root)
        on_dir(info.root)
      else
        decide(bufnr, path, false, why)
      end
    end
    vim.lsp.config('specmark', c)
    vim.lsp.enable('specmark')
    return M
  end

  augroup = vim.api.nvim_create_augroup('specmark', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = augroup,
    pattern = M.config.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  -- buffers that were already open when setup() ran
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and vim.tbl_contains(M.config.filetypes, vim.bo[b].filetype) then
      M.attach(b)
    end
  end
  return M
end

return M
