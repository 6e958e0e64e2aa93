#!/bin/sh
# Rebuild the shipped BMES HMM segmenters (data/hmm/order1, data/hmm/order2) from PD98 199801.txt.
set -e
cd "$(dirname "$0")/.."
CORPUS="${CNLP_CORPORA:-../shared/corpora}/pd1998/199801.txt"
for order in 1 2; do
    python -m cnlp train hmm --corpus "$CORPUS" --order "$order" --out "data/hmm/order$order"
done
