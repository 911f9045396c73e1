#!/usr/bin/env bash
# Runs a subset of Fastify's own test suite twice, as is and with
# @structlog/fastify registered first in every app (register-first.cjs), and
# lists the tests that pass as is and fail with the plugin.
#
#   npx -y pnpm@10 build
#   git clone --depth 1 --branch v5.12.1 https://github.com/fastify/fastify /tmp/fastify   (or any 5.12 checkout)
#   scripts/fastify-suite/run.sh /tmp/fastify [test files relative to the checkout...]
#
# Fastify's checkout is used in place, never copied here. Its runtime
# dependencies are linked from this repository's node_modules (pnpm's store),
# so no install runs; test files that need a package not there are skipped.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
checkout=$(cd "${1:?usage: run.sh <fastify checkout> [test files]}" && pwd -P)
shift
files=("$@")
if [[ ${#files[@]} -eq 0 ]]; then
  files=(test/hooks.test.js test/hooks-async.test.js test/inject.test.js test/async-await.test.js test/stream.{1,2,3,4,5}.test.js
    test/404s.test.js test/route.{1,2,3,4,5,6,7,8}.test.js test/reply-error.test.js test/content-parser.test.js
    test/genReqId.test.js test/child-logger-factory.test.js test/logger/{instantiation,logging,options,request,response}.test.js)
fi

# Link every package of this repository's pnpm store that the checkout's node_modules lacks.
mkdir -p "$checkout/node_modules/@fastify"
for dir in "$repo"/node_modules/.pnpm/*/node_modules/*; do
  name=$(basename "$dir")
  if [[ $name == @* ]]; then
    for sub in "$dir"/*; do
      [[ -e "$checkout/node_modules/$name/$(basename "$sub")" ]] || { mkdir -p "$checkout/node_modules/$name"; ln -s "$sub" "$checkout/node_modules/$name/$(basename "$sub")"; }
    done
  elif [[ $name != fastify ]]; then
    [[ -e "$checkout/node_modules/$name" ]] || ln -s "$dir" "$checkout/node_modules/$name"
  fi
done

out=$(mktemp -d -t fastify-suite.XXXX)
runnable=()
for f in "${files[@]}"; do
  missing=$(cd "$checkout" && node -e '
    const src = require("fs").readFileSync(process.argv[1], "utf8");
    for (const [, m] of src.matchAll(/require\(["'\''`]([^."'\''`][^"'\''`]*)["'\''`]\)/g)) {
      if (m.startsWith("node:")) continue;
      try { require.resolve(m, { paths: [require("path").dirname(require("path").resolve(process.argv[1]))] }); } catch { console.log(m); }
    }' "$f")
  if [[ -n $missing ]]; then echo "skipped $f: needs $(echo $missing | tr '\n' ' ')"; else runnable+=("$f"); fi
done

run() { # $1: label, rest: node options
  local label=$1; shift
  (cd "$checkout" && FASTIFY_CHECKOUT=$checkout node "$@" --test --test-reporter=tap --test-concurrency=1 "${runnable[@]}" >"$out/$label.tap" 2>"$out/$label.err")
  # The failing tests, as "file > parent > test" paths.
  node "$here/failures.mjs" "$out/$label.tap" >"$out/$label.failed"
  echo "$label: $(grep -cE '^\s*ok ' "$out/$label.tap") ok, $(wc -l <"$out/$label.failed") failing (tap in $out/$label.tap)"
}
run plain
run structlog --require "$here/register-first.cjs"
echo
echo "fail with the plugin, pass without it:"
comm -13 <(sort "$out/plain.failed") <(sort "$out/structlog.failed")
