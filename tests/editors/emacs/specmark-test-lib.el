;;; specmark-test-lib.el --- helpers of the Emacs batch driver  -*- lexical-binding: t; -*-

;; The configuration, the results (written as JSON when the run ends), waiting, and the buffer
;; helpers of tests/editors/emacs/specmark-test.el.

(require 'cl-lib)
(require 'json)
(require 'package)

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

(defun specmark-test--ms-since (t0)
  "Milliseconds since the `float-time' T0."
  (* 1000 (- (float-time) t0)))

(provide 'specmark-test-lib)

;;; specmark-test-lib.el ends here
