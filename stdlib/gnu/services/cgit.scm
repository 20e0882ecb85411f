;;; schemy --- cgit (Guix manual, "Version Control Services"): the cgitrc Guix
;;; writes from `cgit-configuration' (or an opaque one given as text), with
;;; one `repo.' section per `repository-cgit-configuration', copied to
;;; /etc/cgitrc at activation; nginx serves cgit.cgi through fcgiwrap.
;;;
;;; As Guix's serializer: keys are the field names without `?', booleans are
;;; 1/0, empty strings and lists are left out; the project list, the extra
;;; options, scan-path and the repositories come last.  Guix writes the
;;; mimetype lines without a final newline, so the next setting follows on
;;; the same line; this file is the same.

(define-module (gnu services cgit)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module ((guix packages) #:select (package?))
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu services shepherd)
  #:use-module (gnu services web)
  #:use-module ((gnu packages version-control) #:select (cgit))
  #:use-module (ice-9 match)
  #:use-module (srfi srfi-1)
  #:export (repository-cgit-configuration
            cgit-configuration
            %cgit-configuration-nginx
            cgit-configuration-nginx-config
            opaque-cgit-configuration
            cgit-service-type

            cgitrc-text))

(define %cgit-configuration-nginx
  (nginx-server-configuration
   (root cgit)
   (locations
    (list (nginx-location-configuration
           (uri "@cgit")
           (body '("fastcgi_param SCRIPT_FILENAME $document_root/lib/cgit/cgit.cgi;"
                   "fastcgi_param PATH_INFO $uri;"
                   "fastcgi_param QUERY_STRING $args;"
                   "fastcgi_param HTTP_HOST $server_name;"
                   "fastcgi_pass 127.0.0.1:9000;")))))
   (try-files (list "$uri" "@cgit"))
   (listen '("80"))
   (ssl-certificate #f)
   (ssl-certificate-key #f)))

;;; Serializers: a string, or (for a file-like value) a list of pieces for
;;; mixed-text-file.

(define (uglify-field-name field-name)
  (string-delete #\? (symbol->string field-name)))

(define (setting key val)
  (if (string? val)
      (string-append key "=" val "\n")
      (list (string-append key "=") val "\n")))

(define (serialize-field field-name val)
  (setting (uglify-field-name field-name) val))

(define (serialize-string field-name val)
  (if (and (string? val) (string-null? val)) "" (serialize-field field-name val)))

(define (serialize-list field-name val)
  (if (null? val) "" (serialize-field field-name (string-join val))))

(define robots-list? list?)
(define (serialize-robots-list field-name val)
  (if (null? val) "" (serialize-field field-name (string-join val ", "))))

(define (cgit-integer? val) (exact-integer? val))
(define (serialize-cgit-integer field-name val)
  (serialize-field field-name (number->string val)))

(define (serialize-boolean field-name val)
  (serialize-cgit-integer field-name (if val 1 0)))

(define (file-object? val)
  (or (file-like? val) (string? val)))
(define serialize-file-object serialize-string)

(define (project-list? val)
  (or (list? val) (file-object? val)))

(define (nginx-server-configuration-list? val)
  (and (list? val) (every nginx-server-configuration? val)))
(define (serialize-nginx-server-configuration-list field-name val) "")

(define (serialize-repo-field field-name val)
  (setting (string-append "repo." (uglify-field-name field-name)) val))

(define repo-list? list?)
(define (serialize-repo-list field-name val)
  (if (null? val) "" (serialize-repo-field field-name (string-join val))))

(define repo-boolean? boolean?)
(define (serialize-repo-boolean field-name val)
  (serialize-repo-field field-name (number->string (if val 1 0))))
(define-maybe repo-boolean)

(define repo-string? string?)
(define (serialize-repo-string field-name val)
  (if (string-null? val) "" (serialize-repo-field field-name val)))

(define repo-file-object? file-object?)
(define (serialize-repo-file-object field-name val)
  (if (and (string? val) (string-null? val)) "" (serialize-repo-field field-name val)))

(define module-link-path? list?)
(define (serialize-module-link-path field-name val)
  (match val
    (() "")
    ((path text) (format #f "repo.module-link.~a=~a\n" path text))))

(define mimetype-alist? list?)
(define (serialize-mimetype-alist field-name val)
  (string-append "# Mimetypes\n"
                 (string-join (map (match-lambda
                                     ((extension mimetype)
                                      (format #f "mimetype.~a=~a" (symbol->string extension) mimetype)))
                                   val)
                              "\n")))

(define-configuration repository-cgit-configuration
  (snapshots (repo-list '()) "Snapshot formats offered for this repository.")
  (source-filter (repo-file-object "") "Override the default source-filter.")
  (url (repo-string "") "Relative URL of the repository.")
  (about-filter (repo-file-object "") "Override the default about-filter.")
  (branch-sort (repo-string "") "Ordering of branches: age or name.")
  (clone-url (repo-list '()) "URLs the repository can be cloned from.")
  (commit-filter (repo-file-object "") "Override the default commit-filter.")
  (commit-sort (repo-string "") "Ordering of commits: date or topo.")
  (defbranch (repo-string "") "Default branch.")
  (desc (repo-string "") "Repository description.")
  (homepage (repo-string "") "Repository homepage.")
  (email-filter (repo-file-object "") "Override the default email-filter.")
  (enable-commit-graph? maybe-repo-boolean "Override the global enable-commit-graph?.")
  (enable-log-filecount? maybe-repo-boolean "Override the global enable-log-filecount?.")
  (enable-log-linecount? maybe-repo-boolean "Override the global enable-log-linecount?.")
  (enable-remote-branches? maybe-repo-boolean "Show remote branches.")
  (enable-subject-links? maybe-repo-boolean "Override the global enable-subject-links?.")
  (enable-html-serving? maybe-repo-boolean "Override the global enable-html-serving?.")
  (hide? (repo-boolean #f) "Hide the repository from the index.")
  (ignore? (repo-boolean #f) "Ignore the repository.")
  (logo (repo-file-object "") "Logo for this repository's pages.")
  (logo-link (repo-string "") "URL of the logo's link.")
  (owner-filter (repo-file-object "") "Override the default owner-filter.")
  (module-link (repo-string "") "Submodule link format string.")
  (module-link-path (module-link-path '()) "(PATH TEXT) link for one submodule.")
  (max-stats (repo-string "") "Override the maximum statistics period.")
  (name (repo-string "") "Repository name.")
  (owner (repo-string "") "Repository owner.")
  (path (repo-string "") "Absolute path of the repository.")
  (readme (repo-string "") "File shown as the About page.")
  (section (repo-string "") "Section of the repository index.")
  (extra-options (repo-list '()) "Extra options for this repository."))

(define (repository-cgit-configuration-list? val)
  (list? val))

(define (serialize-repository-cgit-configuration-list field-name val)
  (append-map (lambda (repo)
                (let ((text (serialize-configuration repo repository-cgit-configuration-fields)))
                  (if (list? text) text (list text))))
              val))

(define project-list-default '())

(define-configuration cgit-configuration
  (package (file-like cgit) "The cgit package.")
  (nginx (nginx-server-configuration-list (list %cgit-configuration-nginx)) "nginx configuration.")
  (about-filter (file-object "") "Filter formatting About pages.")
  (agefile (string "") "File giving the date of the youngest commit.")
  (auth-filter (file-object "") "Filter authenticating access.")
  (branch-sort (string "name") "Ordering of branches: age or name.")
  (cache-root (string "/var/cache/cgit") "Directory of the cache.")
  (cache-static-ttl (cgit-integer -1) "Minutes pages with a fixed SHA1 stay cached.")
  (cache-dynamic-ttl (cgit-integer 5) "Minutes pages without a fixed SHA1 stay cached.")
  (cache-repo-ttl (cgit-integer 5) "Minutes repository summaries stay cached.")
  (cache-root-ttl (cgit-integer 5) "Minutes the index stays cached.")
  (cache-scanrc-ttl (cgit-integer 15) "Minutes a scan-path result stays cached.")
  (cache-about-ttl (cgit-integer 15) "Minutes About pages stay cached.")
  (cache-snapshot-ttl (cgit-integer 5) "Minutes snapshots stay cached.")
  (cache-size (cgit-integer 0) "Cache entries (0: no cache).")
  (case-sensitive-sort? (boolean #t) "Sort the repository list case sensitively.")
  (clone-prefix (list '()) "Prefixes of clone URLs.")
  (clone-url (list '()) "Clone URL templates.")
  (commit-filter (file-object "") "Filter formatting commit messages.")
  (commit-sort (string "git log") "Ordering of commits.")
  (css (file-object "/share/cgit/cgit.css") "Stylesheet URL.")
  (email-filter (file-object "") "Filter formatting email addresses.")
  (embedded? (boolean #f) "Produce an HTML fragment for embedding.")
  (enable-commit-graph? (boolean #f) "Draw the commit graph in the log.")
  (enable-filter-overrides? (boolean #f) "Let repositories override filters.")
  (enable-follow-links? (boolean #f) "Follow renames in the log.")
  (enable-http-clone? (boolean #t) "Serve dumb HTTP clones.")
  (enable-index-links? (boolean #f) "Links for each repository in the index.")
  (enable-index-owner? (boolean #t) "Show owners in the index.")
  (enable-log-filecount? (boolean #f) "Show changed file counts in the log.")
  (enable-log-linecount? (boolean #f) "Show changed line counts in the log.")
  (enable-remote-branches? (boolean #f) "Show remote branches.")
  (enable-subject-links? (boolean #f) "Show parent subjects in commit view.")
  (enable-html-serving? (boolean #f) "Serve HTML blobs as HTML.")
  (enable-tree-linenumbers? (boolean #t) "Line numbers in the tree view.")
  (enable-git-config? (boolean #f) "Read repository settings from git config.")
  (favicon (file-object "/favicon.ico") "Shortcut icon URL.")
  (footer (string "") "Footer file.")
  (head-include (string "") "File included in the HTML head.")
  (header (string "") "File included at the top of pages.")
  (include (file-object "") "cgitrc file included.")
  (index-header (string "") "File above the repository index.")
  (index-info (string "") "File below the index heading.")
  (local-time? (boolean #f) "Show times in the server's time zone.")
  (logo (file-object "/share/cgit/cgit.png") "Logo URL.")
  (logo-link (string "") "URL of the logo's link.")
  (owner-filter (file-object "") "Filter formatting owners.")
  (max-atom-items (cgit-integer 10) "Items in Atom feeds.")
  (max-commit-count (cgit-integer 50) "Log entries per page.")
  (max-message-length (cgit-integer 80) "Commit message characters shown in the log.")
  (max-repo-count (cgit-integer 50) "Index entries per page.")
  (max-repodesc-length (cgit-integer 80) "Description characters shown in the index.")
  (max-blob-size (cgit-integer 0) "Largest blob shown as HTML, in KiB.")
  (max-stats (string "") "Longest statistics period.")
  (mimetype (mimetype-alist '((gif "image/gif")
                              (html "text/html")
                              (jpg "image/jpeg")
                              (jpeg "image/jpeg")
                              (pdf "application/pdf")
                              (png "image/png")
                              (svg "image/svg+xml")))
            "Mimetypes of file name extensions.")
  (mimetype-file (file-object "") "File for automatic mimetype lookup.")
  (module-link (string "") "Submodule link format string.")
  (nocache? (boolean #f) "Disable caching.")
  (noplainemail? (boolean #f) "Hide email addresses.")
  (noheader? (boolean #f) "Omit the standard header.")
  (project-list (project-list '()) "Repositories to load, as a list or file.")
  (readme (file-object "") "Default About page file.")
  (remove-suffix? (boolean #f) "Drop .git from repository URLs and names.")
  (renamelimit (cgit-integer -1) "Files considered for rename detection.")
  (repository-sort (string "") "Ordering of repositories in sections.")
  (robots (robots-list (list "noindex" "nofollow")) "robots meta tag content.")
  (root-desc (string "a fast webinterface for the git dscm") "Text below the index heading.")
  (root-readme (file-object "") "File shown below the About link of the index.")
  (root-title (string "") "Index heading.")
  (scan-hidden-path (boolean #f) "Scan hidden directories.")
  (snapshots (list '()) "Snapshot formats.")
  (repository-directory (string "/srv/git") "Directory scanned for repositories (scan-path).")
  (section (string "") "Section of the repository index.")
  (section-sort (string "") "Sort sections by name.")
  (section-from-path (cgit-integer 0) "Path elements used as the default section name.")
  (side-by-side-diffs? (boolean #f) "Side-by-side diffs by default.")
  (source-filter (file-object "") "Filter formatting blobs.")
  (summary-branches (cgit-integer 10) "Branches in the summary.")
  (summary-log (cgit-integer 10) "Log entries in the summary.")
  (summary-tags (cgit-integer 10) "Tags in the summary.")
  (strict-export (string "") "File that must exist for a repository to be shown.")
  (virtual-root (string "/") "Root URL of cgit's links.")
  (repositories (repository-cgit-configuration-list '()) "Repository settings.")
  (extra-options (list '()) "Extra lines for cgitrc."))

(define (as-list x) (if (list? x) x (list x)))

(define (cgitrc-pieces config)
  ;; The pieces of cgitrc: strings and file-like objects, in Guix's order.
  (let ((rest (remove (lambda (field)
                        (memq (configuration-field-name field)
                              '(project-list extra-options repository-directory repositories)))
                      cgit-configuration-fields))
        (project-list (cgit-configuration-project-list config))
        (extra (cgit-configuration-extra-options config))
        (directory (cgit-configuration-repository-directory config)))
    (append (as-list (serialize-configuration config rest))
            (cond ((null? project-list) '())
                  ((file-object? project-list) (as-list (serialize-field 'project-list project-list)))
                  (else (as-list (serialize-field 'project-list
                                                  (plain-file "project-list"
                                                              (string-join project-list "\n"))))))
            (list (string-concatenate (map (lambda (line) (string-append line "\n")) extra)))
            (list (if (string-null? directory) "" (format #f "scan-path=~a\n" directory)))
            (serialize-repository-cgit-configuration-list
             'repositories (cgit-configuration-repositories config)))))

(define (cgitrc-text config)
  "cgitrc as Guix writes it, when no setting is a file-like object."
  (string-concatenate (cgitrc-pieces config)))

(define-configuration opaque-cgit-configuration
  (cgit (file-like cgit) "The cgit package.")
  (cgitrc string "The contents of cgitrc.")
  (cache-root (string "/var/cache/cgit") "Directory of the cache.")
  (nginx (nginx-server-configuration-list (list %cgit-configuration-nginx)) "nginx configuration."))

(define (cgit-activation config)
  (let* ((opaque? (opaque-cgit-configuration? config))
         (cgitrc (if opaque?
                     (plain-file "cgitrc" (opaque-cgit-configuration-cgitrc config))
                     (apply mixed-text-file "cgitrc" (cgitrc-pieces config)))))
    #~(begin
        (use-modules (guix build utils))
        (mkdir-p #$(if opaque?
                       (opaque-cgit-configuration-cache-root config)
                       (cgit-configuration-cache-root config)))
        (copy-file #$cgitrc "/etc/cgitrc"))))

(define (cgit-configuration-nginx-config config)
  "The nginx server blocks of CONFIG, plain or opaque."
  (if (opaque-cgit-configuration? config)
      (opaque-cgit-configuration-nginx config)
      (cgit-configuration-nginx config)))

(define cgit-service-type
  (service-type
   (name 'cgit)
   (extensions
    (list (service-extension activation-service-type cgit-activation)
          (service-extension nginx-service-type cgit-configuration-nginx-config)
          ;; Have fcgiwrap instantiated: nginx hands cgit.cgi to it.
          (service-extension fcgiwrap-service-type (const #t))))
   (default-value (cgit-configuration))
   (description "Run cgit, a fast web interface to Git repositories.")))
