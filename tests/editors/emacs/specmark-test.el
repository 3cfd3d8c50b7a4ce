;;; specmark-test.el --- batch driver for tests/editors/test_emacs.py  -*- lexical-binding: t; -*-

;; emacs --batch -Q -l tests/editors/emacs/specmark-test.el
;;
;; Reads SPECMARK_TEST_CONFIG (JSON written by the pytest wrapper; same keys as
;; tests/editors/nvim/init.lua), drives editors/emacs/specmark.el + eglot
;; against the server, writes results as JSON to config.out and exits 0
;; (failures are reported in the JSON so the wrapper can show what was seen).

(require 'cl-lib)
(require 'json)
(require 'package)

;; Debian's elpa-* packages live in /usr/share/emacs/site-lisp/elpa; -Q skips them.
(package-initialize)
(dolist (dir (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*"))
  (when (file-directory-p dir) (add-to-list 'load-path dir)))

(defvar specmark-test--repo
  (expand-file-name "../../.." (file-name-directory (or load-file-name buffer-file-name))))
(add-to-list 'load-path (expand-file-name "editors/emacs" specmark-test--repo))

(defvar specmark-test--cfg
  (let ((json-object-type 'alist) (json-array-type 'list) (json-key-type 'symbol))
    (json-read-file (getenv "SPECMARK_TEST_CONFIG"))))
(defun specmark-test--get (&rest keys)
  (let ((v specmark-test--cfg))
    (dolist (k keys v) (setq v (alist-get k v)))))

(defvar specmark-test--results nil)
(defvar specmark-test--timeout (/ (or (specmark-test--get 'timeout_ms) 30000) 1000.0))
(defvar specmark-test--t0 (float-time))

(defun specmark-test--log (step &rest plist)
  (push (append `((step . ,step) (t . ,(- (float-time) specmark-test--t0)))
                (cl-loop for (k v) on plist by #'cddr collect (cons k v)))
        specmark-test--results))

(defvar specmark-test--events-dumped nil)
(defun specmark-test--dump-events ()
  "Save the JSON-RPC traffic and the server's stderr (for the wrapper to show on failure)."
  (with-temp-file (concat (specmark-test--get 'out) ".events")
    (dolist (b (buffer-list))
      (when (string-match-p "\\`\\*EGLOT" (buffer-name b))
        (insert "==== " (buffer-name b) "\n"
                (with-current-buffer b (buffer-substring-no-properties (point-min) (point-max)))
                "\n"))))
  (setq specmark-test--events-dumped t))

(defun specmark-test--finish (&optional error)
  (let ((json-encoding-pretty-print nil)
        (out `((emacs . ,emacs-version)
               (eglot . ,(or (ignore-errors (package-get-version)) (bound-and-true-p eglot-version) "?"))
               (steps . ,(vconcat (reverse specmark-test--results)))
               ,@(when error `((error . ,error))))))
    (with-temp-file (specmark-test--get 'out) (insert (json-encode out))))
  (unless specmark-test--events-dumped (specmark-test--dump-events))
  (kill-emacs 0))

(defun specmark-test--wait (pred &optional timeout)
  "Process events until PRED returns non-nil or TIMEOUT seconds pass."
  (let ((deadline (+ (float-time) (or timeout specmark-test--timeout))) v)
    (while (and (not (setq v (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    v))

(defun specmark-test--goto-line-text (text)
  "Move point to the last line whose text is TEXT; return its 0-based number."
  (goto-char (point-max))
  (unless (re-search-backward (concat "^" (regexp-quote text) "$") nil t)
    (error "line not found in buffer: %s" text))
  (beginning-of-line)
  (1- (line-number-at-pos)))

(defun specmark-test--line () (buffer-substring-no-properties (line-beginning-position) (line-end-position)))

(defun specmark-test--diags ()
  (cl-loop for d in (flymake-diagnostics)
           for lsp = (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))
           collect `((lnum . ,(1- (line-number-at-pos (flymake-diagnostic-beg d))))
                     (type . ,(symbol-name (flymake-diagnostic-type d)))
                     (code . ,(plist-get lsp :code))
                     (source . ,(plist-get lsp :source))
                     (severity . ,(plist-get lsp :severity))
                     (text . ,(flymake-diagnostic-text d)))))

(defun specmark-test--run ()
  (require 'specmark)
  (setq specmark-server-command (specmark-test--get 'cmd))
  ;; settings.specmark of the JSON config, as the plist eglot expects
  (setq specmark-settings
        (let ((json-object-type 'plist) (json-array-type 'vector))
          (plist-get (plist-get (json-read-file (getenv "SPECMARK_TEST_CONFIG")) :settings) :specmark)))
  (setq specmark-auto-start t)            ; the mode calls eglot-ensure (see step 2)
  (setq eglot-sync-connect t eglot-connect-timeout 60)
  (specmark-setup)
  (specmark-test--log "setup" 'eglot_workspace_configuration
                      (format "%S" (default-value 'eglot-workspace-configuration)))

  ;; 1. A Markdown file outside the spec folders stays in plain markdown/gfm mode.
  (when-let ((outside (specmark-test--get 'outside)))
    (with-current-buffer (find-file-noselect outside)
      (specmark-test--log "outside" 'mode (symbol-name major-mode)
                          'markdown (and (derived-mode-p 'markdown-mode) t)
                          'specmark (and (derived-mode-p 'specmark-markdown-mode) t))))

  ;; 1b. Spec documents of a folder that holds spec documents (outside the spec
  ;; directories) get specmark-markdown-mode; a design.md in another folder does not.
  (dolist (path (specmark-test--get 'plain_spec))
    (with-current-buffer (find-file-noselect path)
      (specmark-test--log "plain_spec" 'path path 'mode (symbol-name major-mode)
                          'root (specmark-spec-root buffer-file-name))
      (kill-buffer)))
  (when-let ((path (specmark-test--get 'not_spec)))
    (with-current-buffer (find-file-noselect path)
      (specmark-test--log "not_spec" 'mode (symbol-name major-mode)
                          'markdown (and (derived-mode-p 'markdown-mode) t))
      (kill-buffer)))

  ;; 2. tasks.md: specmark-markdown-mode, eglot connects.
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
                          'ms (* 1000 (- (float-time) t0)))
      (unless ok (error "eglot did not connect")))
    (flymake-start nil t)

    ;; 3. Edit (didChange) and wait for flymake diagnostics with the expected codes.
    (save-excursion
      (goto-char (point-max))
      (unless (bolp) (insert "\n"))
      ;; like nvim_buf_set_lines(buf, -1, -1, ...): new lines after the last line
      (dolist (l (specmark-test--get 'append)) (insert l "\n")))
    (eglot--signal-textDocument/didChange)
    (setq t0 (float-time))
    (let* ((want (specmark-test--get 'expect_codes))
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
      (specmark-test--log "diagnostics" 'ok (and ok t) 'ms (* 1000 (- (float-time) t0))
                          'diagnostics (vconcat (specmark-test--diags))))

    ;; 4. Completion through completion-at-point's eglot backend.
    (when-let ((c (specmark-test--get 'completion)))
      (specmark-test--goto-line-text (alist-get 'line c))
      (forward-char (alist-get 'col c))
      (setq t0 (float-time))
      (let* ((capf (eglot-completion-at-point))
             (table (nth 2 capf))
             (labels (and table (all-completions "" table))))
        (specmark-test--log "completion" 'ms (* 1000 (- (float-time) t0))
                            'labels (vconcat (mapcar #'substring-no-properties labels)))))

    ;; 5. Code action through eglot-code-actions (interactive path, menu answered).
    (when-let ((ca (specmark-test--get 'code_action)))
      (specmark-test--goto-line-text (alist-get 'line ca))
      (forward-char 4)
      (let ((offered nil) (chosen nil) (title (alist-get 'title ca)))
        (setq t0 (float-time))
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
                            'ms (* 1000 (- (float-time) t0))
                            'offered (vconcat offered) 'chosen chosen 'line (specmark-test--line))))

    ;; 6. The key: C-c C-x C-x runs specmark-toggle-task (executeCommand + applyEdit).
    (when-let ((tk (specmark-test--get 'toggle_key)))
      (specmark-test--goto-line-text (alist-get 'line tk))
      (let* ((key (kbd "C-c C-x C-x"))
             (binding (key-binding key t)))
        (setq t0 (float-time))
        (condition-case err
            (execute-kbd-macro key)
          (error (specmark-test--log "toggle_key_error" 'error (error-message-string err))))
        (specmark-test--wait (lambda () (equal (specmark-test--line) (alist-get 'expect tk))) 10)
        (specmark-test--log "toggle_key" 'ok (equal (specmark-test--line) (alist-get 'expect tk))
                            'binding (format "%s" binding) 'key "C-c C-x C-x"
                            'ms (* 1000 (- (float-time) t0)) 'line (specmark-test--line))))

    ;; 7. Shutdown (the events buffers go away with the server: save them first).
    (specmark-test--dump-events)
    (setq t0 (float-time))
    (let ((server (eglot-current-server)))
      (condition-case err
          (progn (eglot-shutdown server) (specmark-test--log "shutdown" 'ok t 'ms (* 1000 (- (float-time) t0))))
        (error (specmark-test--log "shutdown" 'ok nil 'error (error-message-string err)))))))

(condition-case err
    (progn (specmark-test--run) (specmark-test--finish))
  (error (specmark-test--finish (format "%S" err))))

;;; specmark-test.el ends here
