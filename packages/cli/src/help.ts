export const HELP = `classifyd: classify documents with a classifyd (or LlamaCloud Classify v2) service

Usage:
  classifyd classify <files or folders...> (--rules FILE | --rule 'type=description' ...) [options]
  classifyd examples add --configuration ID <folder> [options]
  classifyd examples list --configuration ID [--type TYPE] [--status STATUS] [options]
  classifyd examples delete --configuration ID (<example ids...> | --all)
  classifyd --help

Rules:
  --rules FILE             JSON: an array of {"type", "description"}, or {"rules": [...]}
  --rule 'type=description'  one rule; repeat the flag for more (adds to --rules)
                           1-50 rules; type 1-50 characters, description 10-2000

Service:
  --base-url URL           default $CLASSIFYD_URL, else http://127.0.0.1:8080
  --api-key KEY            default $CLASSIFYD_API_KEY, else $LLAMA_CLOUD_API_KEY
                           (a service in open dev mode accepts any key)

Documents:
  -r, --recursive          descend into sub-folders (hidden files and folders are skipped)
  --target-pages LIST      pages to read, 1-based, e.g. "1,3,5-7" (wins over --max-pages)
  --max-pages N            read at most the first N pages
  --lang CODE              document language, ISO 639-1 (e.g. en, de)
  --concurrency N          documents in flight at once (default 4)
  --timeout SECONDS        give up on one document after this long, and cancel its job (default 600)

Output:
  --format table|json|csv  default: table on a terminal, json otherwise (or from --output's extension)
  -o, --output FILE        write the results to FILE instead of stdout
  --parse-details          also fetch each parse job: detected format, page count, stage timings
  -q, --quiet              no progress or summary on stderr
  -h, --help               this text

Examples (labelled documents that teach a saved classify configuration, cfg-...):
  -c, --configuration ID   the configuration the examples belong to
  add <folder>             the folder holds labels.csv (path,label; paths relative to the folder)
                           or one sub-folder per type; the label or sub-folder "none" holds
                           negative examples (documents that fit none of the rules). Each file
                           is uploaded and posted, then add waits until every example is READY
                           or FAILED (--timeout, default 600 s, for the whole folder) and prints
                           one row per file and a summary per type. A label with no rule in the
                           configuration is refused for that file; the others go on.
  list                     --type TYPE (none: the negative examples), --status PENDING|READY|FAILED
  delete                   the example ids given, or every example of the configuration with --all
  --format, --concurrency, --base-url, --api-key and --quiet work as for classify.
  Exit codes as below, read "example READY" for "document COMPLETED"; a configuration
  that does not exist is a usage error (2).

Each result row: path, status, type, confidence, reasoning, job_id, error_message,
upload_ms (file upload), wait_ms (job create until a final status).
status is COMPLETED, FAILED or CANCELLED (the job's own), TIMEOUT (no final status within
--timeout) or ERROR (the document never became a job, e.g. unreadable or rejected upload).

Exit codes:
  0  every document COMPLETED
  1  at least one document did not complete (its row says why)
  2  usage error: bad flags, bad rules, missing files; nothing was sent
  3  the service could not be reached, or refused the API key
`;
