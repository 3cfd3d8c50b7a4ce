;;; specmark-test-steps.el --- steps of the Emacs batch driver  -*- lexical-binding: t; -*-

;; The steps of tests/editors/emacs/specmark-test.el, in the order it runs them; each records
;; what it saw with `specmark-test--log'.  The steps after `specmark-test--attach' run in the
;; tasks.md buffer.

(require 'cl-lib)
(require 'specmark-test-lib)

(defun specmark-test--setup ()
  "Configure specmark.el from the JSON config and call `specmark-setup'."
  (require 'specmark)
  (setq specmark-server-command (specmark-test--get 'cmd))
  ;; settings.specmark of the JSON config, as the plist eglot expects
  (setq specmark-settings
        (let ((json-object-type 'plist) (json-array-type 'vector))
          (plist-get (plist-get (json-read-file (getenv "SPECMARK_TEST_CONFIG")) :settings) :specmark)))
  (setq specmark-auto-start t)            ; the mode calls eglot-ensure (see `specmark-test--attach')
  (setq eglot-sync-connect t eglot-connect-timeout 60)
  (specmark-setup)
  (specmark-test--log "setup" 'eglot_workspace_configuration
                      (format "%S" (default-value 'eglot-workspace-configuration))))

(defun specmark-test--outside ()
  "1. A Markdown file outside the spec folders stays in plain markdown/gfm mode."
  (when-let ((outside (specmark-test--get 'outside)))
    (with-current-buffer (find-file-noselect outside)
      (specmark-test--log "outside" 'mode (symbol-name major-mode)
                          'markdown (and (derived-mode-p 'markdown-mode) t)
                          'specmark (and (derived-mode-p 'specmark-markdown-mode) t)))))

(defun specmark-test--plain-spec ()
  "1b. Spec documents of a folder that holds spec documents (outside the spec
directories) get specmark-markdown-mode; a design.md in another folder does not."
  (dolist (path (specmark-test--get 'plain_spec))
    (with-current-buffer (find-file-noselect path)
      (specmark-test--log "plain_spec" 'path path 'mode (symbol-name major-mode)
                          'root (specmark-spec-root buffer-file-name))
      (kill-buffer)))
  (when-let ((path (specmark-test--get 'not_spec)))
    (with-current-buffer (find-file-noselect path)
      (specmark-test--log "not_spec" 'mode (symbol-name major-mode)
                          'markdown (and (derived-mode-p 'markdown-mode) t))
      (kill-buffer))))

(defun specmark-test--attach ()
  "2. tasks.md: specmark-markdown-mode, eglot connects.  Returns the buffer."
  (let ((buf (find-file-noselect (specmark-test--get 'tasks)))
        (t0 (float-time)))
    (set-buffer buf)
    (switch-to-buffer buf)
    ;; eglot-ensure (called by specmark-markdown-mode) connects from
    ;; post-command-hook, which --batch never runs: run it once, as the first
    ;; command after opening the file would.
    (run-hooks 'post-command-hook)
    (unless (eglot-current-server)       ; fallback: connect explicitly
      (specmark-test--log "ensure_did_not_connect")
      (apply #'eglot (eglot--guess-contact)))
    (let ((ok (specmark-test--wait (lambda () (and (eglot-current-server) eglot--managed-mode)))))
      (specmark-test--log "attach" 'ok (and ok t) 'mode (symbol-name major-mode)
                          'root (and (eglot-current-server)
                                     (project-root (eglot--project (eglot-current-server))))
                          'language_id (and (eglot-current-server)
                                            (eglot--language-id (eglot-current-server)))
                          'ms (specmark-test--ms-since t0))
      (unless ok (error "eglot did not connect")))
    (flymake-start nil t)
    buf))

(defun specmark-test--diagnostics ()
  "3. Edit (didChange) and wait for flymake diagnostics with the expected codes."
  (save-excursion
    (goto-char (point-max))
    (unless (bolp) (insert "\n"))
    ;; like nvim_buf_set_lines(buf, -1, -1, ...): new lines after the last line
    (dolist (l (specmark-test--get 'append)) (insert l "\n")))
  (eglot--signal-textDocument/didChange)
  (let* ((t0 (float-time))
         (want (specmark-test--get 'expect_codes))
         (ok (specmark-test--wait
              (lambda ()
                ;; every expected code, with the expected severity where one is given
                ;; (settings may reach the server after the first publish)
                (let ((codes (cl-loop for d in (specmark-test--diags)
                                      for code = (alist-get 'code d)
                                      for sev = (alist-get (intern code) (specmark-test--get 'expect_severity))
                                      when (or (null sev) (equal sev (alist-get 'severity d)))
                                      collect code)))
                  (cl-every (lambda (c) (member c codes)) want))))))
    (specmark-test--log "diagnostics" 'ok (and ok t) 'ms (specmark-test--ms-since t0)
                        'diagnostics (vconcat (specmark-test--diags)))))

(defun specmark-test--completion ()
  "4. Completion through completion-at-point's eglot backend."
  (when-let ((c (specmark-test--get 'completion)))
    (specmark-test--goto-line-text (alist-get 'line c))
    (forward-char (alist-get 'col c))
    (let* ((t0 (float-time))
           (capf (eglot-completion-at-point))
           (table (nth 2 capf))
           (labels (and table (all-completions "" table))))
      (specmark-test--log "completion" 'ms (specmark-test--ms-since t0)
                          'labels (vconcat (mapcar #'substring-no-properties labels))))))

(defun specmark-test--code-action ()
  "5. Code action through eglot-code-actions (interactive path, menu answered)."
  (when-let ((ca (specmark-test--get 'code_action)))
    (specmark-test--goto-line-text (alist-get 'line ca))
    (forward-char 4)
    (let ((offered nil) (chosen nil) (title (alist-get 'title ca)) (t0 (float-time)))
      (cl-letf (((symbol-function 'completing-read)
                 (lambda (_prompt coll &rest _)
                   (setq offered (mapcar (lambda (x) (if (consp x) (car x) x)) coll))
                   (setq chosen (cl-find-if (lambda (s) (string-match-p (regexp-quote title) s)) offered))
                   chosen)))
        (let ((last-nonmenu-event ?\r))  ; not a mouse event: use completing-read
          (condition-case err
              (eglot-code-actions (line-beginning-position) (line-end-position) nil t)
            (error (specmark-test--log "code_action_error" 'error (error-message-string err))))))
      (specmark-test--wait (lambda () (equal (specmark-test--line) (alist-get 'expect ca))) 10)
      (specmark-test--log "code_action" 'ok (equal (specmark-test--line) (alist-get 'expect ca))
                          'ms (specmark-test--ms-since t0)
                          'offered (vconcat offered) 'chosen chosen 'line (specmark-test--line)))))

(defun specmark-test--toggle-key ()
  "6. The key: C-c C-x C-x runs specmark-toggle-task (executeCommand + applyEdit)."
  (when-let ((tk (specmark-test--get 'toggle_key)))
    (specmark-test--goto-line-text (alist-get 'line tk))
    (let* ((key (kbd "C-c C-x C-x"))
           (binding (key-binding key t))
           (t0 (float-time)))
      (condition-case err
          (execute-kbd-macro key)
        (error (specmark-test--log "toggle_key_error" 'error (error-message-string err))))
      (specmark-test--wait (lambda () (equal (specmark-test--line) (alist-get 'expect tk))) 10)
      (specmark-test--log "toggle_key" 'ok (equal (specmark-test--line) (alist-get 'expect tk))
                          'binding (format "%s" binding) 'key "C-c C-x C-x"
                          'ms (specmark-test--ms-since t0) 'line (specmark-test--line)))))

(defun specmark-test--shutdown ()
  "7. Shutdown (the events buffers go away with the server: save them first)."
  (specmark-test--dump-events)
  (let ((t0 (float-time))
        (server (eglot-current-server)))
    (condition-case err
        (progn (eglot-shutdown server) (specmark-test--log "shutdown" 'ok t 'ms (specmark-test--ms-since t0)))
      (error (specmark-test--log "shutdown" 'ok nil 'error (error-message-string err))))))

(provide 'specmark-test-steps)

;;; specmark-test-steps.el ends here
