;;; schemy --- The symlink manager of Guix Home: on activation, each file of
;;; the generation's "files" directory is linked from the home directory
;;; (~/.bashrc -> .../files/.bashrc); links of the previous generation that the
;;; new one lacks are removed, and a file in the way is kept as a backup.

(define-module (gnu home services symlink-manager)
  #:use-module (gnu services)
  #:use-module (gnu home services)
  #:use-module (guix gexp)
  #:export (home-symlink-manager-service-type))

(define (update-symlinks-gexp _)
  #~(let* ((home (getenv "HOME"))
           (new (string-append (getenv "GUIX_NEW_HOME") "/files"))
           (old (and (getenv "GUIX_OLD_HOME")
                     (string-append (getenv "GUIX_OLD_HOME") "/files")))
           (backup (string-append home "/"
                                  (number->string (current-time))
                                  "-guix-home-legacy-configs-backup")))
      (define (files-under top)
        ;; The relative names of the non-directories under TOP.
        (let walk ((dir top) (prefix ""))
          (if (and dir (file-exists? dir))
              (let ((stream (opendir dir)))
                (let loop ((out '()))
                  (let ((entry (readdir stream)))
                    (cond ((eof-object? entry) (closedir stream) out)
                          ((member entry '("." "..")) (loop out))
                          (else
                           (let ((full (string-append dir "/" entry))
                                 (rel (string-append prefix entry)))
                             (if (eq? 'directory (stat:type (stat full)))
                                 (loop (append (walk full (string-append rel "/")) out))
                                 (loop (cons rel out)))))))))
              '())))
      (define (ensure-parent file)
        (let ((parent (dirname file)))
          (unless (file-exists? parent)
            (ensure-parent parent)
            (mkdir parent))))
      (for-each (lambda (rel)
                  (let ((target (string-append home "/" rel)))
                    (when (and (false-if-exception (readlink target))
                               (string-prefix? old (readlink target)))
                      (delete-file target))))
                (if old (files-under old) '()))
      (for-each (lambda (rel)
                  (let ((target (string-append home "/" rel))
                        (source (string-append new "/" rel)))
                    (ensure-parent target)
                    (cond ((false-if-exception (readlink target))
                           (delete-file target))
                          ((file-exists? target)
                           (let ((saved (string-append backup "/" rel)))
                             (ensure-parent saved)
                             (rename-file target saved))))
                    (symlink source target)))
                (files-under new))))

(define home-symlink-manager-service-type
  (service-type
   (name 'home-symlink-manager)
   (extensions (list (service-extension home-activation-service-type
                                        update-symlinks-gexp)))
   (default-value #f)
   (description "Link the files of the home generation from the home
directory on activation, replacing the links of the previous generation.")))
