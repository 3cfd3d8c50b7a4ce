;;; specmark.el --- Eglot client setup for the specmark language server  -*- lexical-binding: t; -*-

;; Author: specmark contributors
;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1") (eglot "1.9") (markdown-mode "2.5"))
;; Keywords: languages, tools, markdown
;; URL: https://github.com/specmark/specmark

;; This file is not part of GNU Emacs.  License: MIT.

;;; Commentary:

;; Spec files (tasks.md, requirements.md, bugfix.md, spec.md, design.md)
;; inside spec folders such as .kiro/specs/<name>/, .spec-workflow/specs/<name>/,
;; .claude/specs/<name>/, specs/<name>/ and openspec/changes/<name>/, or in any
;; folder that holds a tasks.md, requirements.md, bugfix.md or spec.md (the
;; rule of `specmark check <folder>'), open in
;; `specmark-markdown-mode', a `gfm-mode' derivative (so every markdown-mode
;; hook and binding still applies).  Eglot is told to start `specmark serve'
;; for that mode (with languageId "markdown"), so other Markdown buffers keep
;; whatever server you use for them (marksman, ...).
;;
;;   (add-to-list 'load-path "/path/to/specmark/editors/emacs")
;;   (require 'specmark)
;;   ;; optional:
;;   (setq specmark-server-command '("specmark" "serve"))
;;   (setq specmark-settings '(:severity (:missing-requirements "error")))
;;
;; Diagnostics appear through Flymake; completion of requirement IDs through
;; `completion-at-point'; code actions through `eglot-code-actions'.
;; `specmark-toggle-task' (bound to C-c C-x C-x, markdown-mode's own checkbox
;; key, which it replaces in spec buffers) toggles the task checkbox on the
;; current line through the server's `specmark.toggleTask' command.
;;
;; Tested with Emacs 28.2 + eglot 1.9 + markdown-mode 2.5 (Debian 12).

;;; Code:

(require 'cl-lib)
(require 'seq)
(require 'subr-x)
(require 'markdown-mode)
(require 'eglot)

(defgroup specmark nil
  "Eglot integration for the specmark language server."
  :group 'tools
  :prefix "specmark-")

(defcustom specmark-server-command '("specmark" "serve")
  "Command (program and arguments) that starts the specmark server over stdio.
For example (\"python3\" \"-m\" \"specmark\" \"serve\")."
  :type '(repeat string))

(defcustom specmark-spec-directories
  '(".kiro/specs" ".spec-workflow/specs" ".claude/specs" "specs" "openspec/changes")
  "Directories, relative to a project root, that hold one folder per spec.
Call `specmark-setup' after changing this outside Customize."
  :type '(repeat string)
  :set (lambda (sym val) (set-default sym val) (when (fboundp 'specmark-setup) (specmark-setup))))

(defcustom specmark-file-names
  '("tasks.md" "requirements.md" "bugfix.md" "spec.md" "design.md")
  "File names inside a spec folder that are handled by specmark.
Call `specmark-setup' after changing this outside Customize."
  :type '(repeat string)
  :set (lambda (sym val) (set-default sym val) (when (fboundp 'specmark-setup) (specmark-setup))))

(defcustom specmark-max-depth 3
  "How many directories below <spec dir>/<name>/ a spec file may sit.
openspec keeps files at openspec/changes/<name>/specs/<capability>/spec.md."
  :type 'integer)

(defcustom specmark-auto-start t
  "When non-nil, `specmark-markdown-mode' calls `eglot-ensure'."
  :type 'boolean)

(defcustom specmark-settings nil
  "Settings sent to the server as the \"specmark\" configuration section.
A plist, e.g. (:severity (:missing-requirements \"error\")).  When
non-nil, `specmark-setup' stores it under :specmark in the default value
of `eglot-workspace-configuration' (which answers workspace/configuration);
you can also set that variable yourself, e.g. in .dir-locals.el."
  :type 'sexp)

;;;; Spec folder detection

(defun specmark--regexp ()
  "Regexp matching the names of spec documents, in any folder.
Whether the file is a spec document is decided by `specmark-spec-root'."
  (concat "/" (regexp-opt specmark-file-names) "\\'"))

(defun specmark--dir-regexp ()
  "Regexp matching spec documents inside the spec directories."
  (concat "/" (regexp-opt specmark-spec-directories)
          "/[^/]+/\\(?:[^/]+/\\)\\{0," (number-to-string specmark-max-depth) "\\}"
          (regexp-opt specmark-file-names) "\\'"))

(defun specmark-folder-spec-p (dir)
  "Non-nil when DIR is a spec folder by the CLI's rule for a folder.
As `specmark check DIR' reads it (core/discovery.py spec_for_folder): DIR
holds a tasks.md or a requirements document (requirements.md, bugfix.md,
spec.md); not spec-kit's checklists/ folder; a lone spec.md only under
specs/<name>/ and not inside openspec/."
  (let* ((dir (file-name-as-directory (expand-file-name dir)))
         (parent (file-name-directory (directory-file-name dir)))
         (has (lambda (name) (file-exists-p (expand-file-name name dir))))
         (tasks (funcall has "tasks.md"))
         (req (seq-find has '("requirements.md" "bugfix.md" "spec.md"))))
    (cond
     ((and (equal (file-name-nondirectory (directory-file-name dir)) "checklists")
           (or (file-exists-p (expand-file-name "spec.md" parent))
               (file-exists-p (expand-file-name "plan.md" parent))))
      nil)
     ((and (not tasks) (not req)) nil)
     ((and (not tasks) (equal req "spec.md")
           (or (not (equal (file-name-nondirectory (directory-file-name parent)) "specs"))
               (string-match-p "/openspec/\\(?:specs\\|changes\\)/" dir)))
      nil)
     (t t))))

(defun specmark-spec-root (file)
  "Return the project root of FILE if it is a spec document, else nil.
A spec document is named in `specmark-file-names' and sits in a spec
folder under `specmark-spec-directories' (for /p/.kiro/specs/feature/tasks.md
the root is /p/), or in any folder that `specmark-folder-spec-p' accepts
(the root is then the nearest folder above it with .git or .specmark.toml,
else the spec's parent)."
  (when file
    (let ((file (expand-file-name file)))
      (when (member (file-name-nondirectory file) specmark-file-names)
        (or
         (when (string-match-p (specmark--dir-regexp) file)
           (let ((dir (file-name-directory file)) (depth 0) root)
             (while (and dir (not root) (<= depth specmark-max-depth))
               (let ((parent (file-name-directory (directory-file-name dir))))
                 (dolist (sd specmark-spec-directories)
                   (let ((suffix (concat "/" (file-name-as-directory sd))))
                     (when (and (not root) parent (string-suffix-p suffix parent))
                       (setq root (substring parent 0 (1+ (- (length parent) (length suffix))))))))
                 (setq dir (unless (equal parent dir) parent) depth (1+ depth))))
             root))
         (let ((folder (file-name-directory file)))
           (when (specmark-folder-spec-p folder)
             (or (locate-dominating-file
                  folder (lambda (d) (or (file-exists-p (expand-file-name ".git" d))
                                         (file-exists-p (expand-file-name ".specmark.toml" d)))))
                 (file-name-directory (directory-file-name folder))))))))))

;;;; Major mode

(defvar specmark--auto-mode-regexp nil
  "The `auto-mode-alist' key installed by `specmark-setup'.")

(defvar specmark-markdown-mode-map
  (let ((map (make-sparse-keymap)))
    ;; C-c C-x C-x in markdown-mode: toggle through the server instead.
    (define-key map [remap markdown-toggle-gfm-checkbox] #'specmark-toggle-task)
    map)
  "Keymap for `specmark-markdown-mode'.")

;;;###autoload
(define-derived-mode specmark-markdown-mode gfm-mode "Specmark"
  "Major mode for spec Markdown files (tasks.md, requirements.md, ...).
A `gfm-mode' whose buffers are managed by the specmark language server.

\\{specmark-markdown-mode-map}"
  (specmark--merge-settings)
  (when specmark-auto-start
    (eglot-ensure)))

;; languageId "markdown" (eglot 1.9 reads this property; newer eglot reads
;; the :language-id in `eglot-server-programs').
(put 'specmark-markdown-mode 'eglot-language-id "markdown")

;;;###autoload
(defun specmark-maybe-markdown-mode ()
  "`specmark-markdown-mode' for a spec document, else the mode Emacs would pick.
In `auto-mode-alist' for every file named in `specmark-file-names'."
  (if (specmark-spec-root buffer-file-name)
      (specmark-markdown-mode)
    (let ((auto-mode-alist (assoc-delete-all specmark--auto-mode-regexp
                                             (copy-sequence auto-mode-alist))))
      (set-auto-mode))))

;;;; Eglot

(defun specmark--contact (&rest _)
  "Eglot contact: the current value of `specmark-server-command'."
  specmark-server-command)

(defun specmark--project-find (dir)
  "`project-find-functions' member: a transient project at the spec's root.
Only used for Eglot, and only when no other backend (e.g. VC) found a project."
  (when (bound-and-true-p eglot-lsp-context)
    (when-let ((root (specmark-spec-root
                      (or buffer-file-name (expand-file-name "tasks.md" dir)))))
      (cons 'transient root))))

(defvar eglot-confirm-server-edits)     ; newer eglot name

;;;###autoload
(defun specmark-toggle-task (&optional pos)
  "Toggle the task checkbox on the line at POS (default: point) via the server.
Sends workspace/executeCommand specmark.toggleTask [uri, line]; the
server applies the edit with workspace/applyEdit.  Without a server,
fall back to `markdown-toggle-gfm-checkbox'."
  (interactive)
  (let ((server (and (bound-and-true-p eglot--managed-mode) (eglot-current-server))))
    (if (not server)
        (save-excursion
          (when pos (goto-char pos))
          (markdown-toggle-gfm-checkbox))
      (save-excursion
        (when pos (goto-char pos))
        (let ((line (1- (line-number-at-pos nil t)))
              (uri (plist-get (eglot--TextDocumentIdentifier) :uri))
              ;; our own edit, requested by the user: no confirmation prompt
              (eglot-confirm-server-initiated-edits nil)
              (eglot-confirm-server-edits nil))
          ;; flush pending changes so the server sees the current text
          (when (fboundp 'eglot--signal-textDocument/didChange)
            (eglot--signal-textDocument/didChange))
          (let ((result (eglot-execute-command server 'specmark.toggleTask (vector uri line))))
            ;; nothing to toggle: say why (the server's reason)
            (when (and (listp result) (memq (plist-get result :applied) '(nil :json-false))
                       (stringp (plist-get result :reason)))
              (message "specmark: %s" (plist-get result :reason)))
            result))))))

(defun specmark--merge-settings ()
  "Put `specmark-settings' under :specmark in `eglot-workspace-configuration'."
  (when specmark-settings
    (let ((conf (default-value 'eglot-workspace-configuration)))
      (unless (functionp conf)
        (setq conf (copy-sequence conf))
        (if (and conf (consp (car conf)))  ; alist form
            (setf (alist-get :specmark conf) specmark-settings)
          (setq conf (plist-put conf :specmark specmark-settings)))
        (setq-default eglot-workspace-configuration conf)))))

;;;###autoload
(defun specmark-setup ()
  "Install the specmark integration (idempotent; run again after changes).
Adds `specmark-markdown-mode' to `auto-mode-alist' for spec files, registers
the server in `eglot-server-programs', and adds `specmark--project-find'."
  (interactive)
  (when specmark--auto-mode-regexp
    (setq auto-mode-alist (assoc-delete-all specmark--auto-mode-regexp auto-mode-alist)))
  (setq specmark--auto-mode-regexp (specmark--regexp))
  (add-to-list 'auto-mode-alist (cons specmark--auto-mode-regexp #'specmark-maybe-markdown-mode))
  (setq eglot-server-programs
        (cl-remove-if (lambda (e) (eq (cdr e) 'specmark--contact)) eglot-server-programs))
  (push (cons '((specmark-markdown-mode :language-id "markdown")) 'specmark--contact)
        eglot-server-programs)
  (add-hook 'project-find-functions #'specmark--project-find 90)
  (specmark--merge-settings))

(specmark-setup)

(provide 'specmark)
;;; specmark.el ends here
