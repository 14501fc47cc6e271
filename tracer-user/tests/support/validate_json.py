"""Validates JSON lines (stdin) against tracer's JSON Schema (argv[1]); prints how many lines
by event.action, or the first invalid line and why, exiting 1."""
import collections, json, sys

import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
counts = collections.Counter()
for n, line in enumerate(sys.stdin, 1):
    if len(line.encode()) > 32 * 1024:
        sys.exit(f"line {n}: {len(line.encode())} bytes, over 32 KiB")
    record = json.loads(line)
    errors = sorted(validator.iter_errors(record), key=str)
    if errors:
        sys.exit(f"line {n}: {errors[0].message} at {list(errors[0].absolute_path)}\n{line}")
    counts[record["event"]["action"]] += 1
print(json.dumps(counts))
