"""Validates JSON lines (stdin) against tracer's JSON Schema (argv[1]), each at most argv[2]
bytes with its newline (default 8000, tracer's default --json-max-line); prints how many lines
by event.action, or the first invalid line and why, exiting 1."""
import collections, json, sys

import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
max_line = int(sys.argv[2]) if len(sys.argv) > 2 else 8000
counts = collections.Counter()
for n, line in enumerate(sys.stdin, 1):
    if len(line.encode()) > max_line:
        sys.exit(f"line {n}: {len(line.encode())} bytes, over {max_line}")
    record = json.loads(line)
    errors = sorted(validator.iter_errors(record), key=str)
    if errors:
        sys.exit(f"line {n}: {errors[0].message} at {list(errors[0].absolute_path)}\n{line}")
    counts[record["event"]["action"]] += 1
print(json.dumps(counts))
