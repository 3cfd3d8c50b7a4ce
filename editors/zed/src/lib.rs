//! Zed extension: starts `specmark serve` for Markdown buffers.
//!
//! The command comes from `lsp.specmark.binary` in Zed's settings when set,
//! else `specmark` found on the worktree's PATH, with the argument `serve`.
//! `lsp.specmark.settings` answers workspace/configuration section "specmark".
//!
//! Not built or run in this repository's CI (no Rust toolchain for
//! wasm32-wasip2 and no Zed here); see editors/zed/README.md.

use zed_extension_api::{self as zed, serde_json, settings::LspSettings, LanguageServerId, Result};

const SERVER: &str = "specmark";

struct SpecmarkExtension;

impl zed::Extension for SpecmarkExtension {
    fn new() -> Self {
        SpecmarkExtension
    }

    fn language_server_command(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(SERVER, worktree)
            .ok()
            .and_then(|settings| settings.binary);
        let command = binary
            .as_ref()
            .and_then(|b| b.path.clone())
            .or_else(|| worktree.which(SERVER))
            .ok_or_else(|| {
                "specmark was not found on PATH: install it (pip install specmark) \
                 or set lsp.specmark.binary.path in Zed's settings"
                    .to_string()
            })?;
        let args = binary
            .as_ref()
            .and_then(|b| b.arguments.clone())
            .unwrap_or_else(|| vec!["serve".to_string()]);
        let env = binary
            .and_then(|b| b.env)
            .map(|env| env.into_iter().collect())
            .unwrap_or_else(|| worktree.shell_env());
        Ok(zed::Command { command, args, env })
    }

    fn language_server_workspace_configuration(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        // Zed answers workspace/configuration by looking the requested section
        // ("specmark") up in this object.
        let settings = LspSettings::for_worktree(SERVER, worktree)
            .ok()
            .and_then(|s| s.settings)
            .unwrap_or_else(|| serde_json::json!({}));
        Ok(Some(serde_json::json!({ "specmark": settings })))
    }
}

zed::register_extension!(SpecmarkExtension);
