;;; specmark-test.el --- batch driver for tests/editors/test_emacs.py  -*- lexical-binding: t; -*-

;; emacs --batch -Q -l tests/editors/emacs/specmark-test.el
;;
;; Reads SPECMARK_TEST_CONFIG (JSON written by the pytest wrapper; same keys as
;; tests/editors/nvim/init.lua), drives editors/emacs/specmark.el + eglot
;; against the server, writes results as JSON to config.out and exits 0
;; (failures are reported in the JSON so the wrapper can show what was seen).
;;
;; The steps are in specmark-test-steps.el, the helpers (configuration,
;; results, waiting) in specmark-test-lib.el; this file sets Emacs up and runs
;; the steps in order.

(require 'package)

;; Debian's elpa-* packages live in /usr/share/emacs/site-lisp/elpa; -Q skips them.
(package-initialize)
(dolist (dir (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*"))
  (when (file-directory-p dir) (add-to-list 'load-path dir)))

(defvar specmark-test--here (file-name-directory (or load-file-name buffer-file-name)))
(defvar specmark-test--repo (expand-file-name "../../.." specmark-test--here))
(add-to-list 'load-path (expand-file-name "editors/emacs" specmark-test--repo))
(add-to-list 'load-path specmark-test--here)
(require 'specmark-test-lib)
(require 'specmark-test-steps)

(defun specmark-test--run ()
  (specmark-test--setup)
  (specmark-test--outside)
  (specmark-test--plain-spec)
  (with-current-buffer (specmark-test--attach)
    (specmark-test--diagnostics)
    (specmark-test--completion)
    (specmark-test--code-action)
    (specmark-test--toggle-key)
    (specmark-test--shutdown)))

(condition-case err
    (progn (specmark-test--run) (specmark-test--finish))
  (error (specmark-test--finish (format "%S" err))))

;;; specmark-test.el ends here
