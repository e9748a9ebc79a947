#!/bin/bash
# Issue #16: test-time transposition of the served piano/guitar model (`default~viewsK`: each
# segment also heard transposed by -K..K constant-Q bins, the views' rows pooled;
# core/embedding/TransposedViewsEmbedder.h) against the served pipeline, on the five validation
# sets (448 queries a focus; never the test split). Needs /work/corpus/{val48,more100-0..3}
# (tools/render-workspace.sh val; the more100-k links: docs/results/focus-on-mixes.md, session 47).
#   eval.sh [K]     (ends with the query-by-query table of focus_on_mixes_model_ab.py --pipeline-b default~viewsK)
K=${1:-1}
V="default~views"; [ "$K" != 1 ] && V="default~views$K"
cd "$(dirname "$0")/../../../.."  # the repository root
for set in val48 more100-0 more100-1 more100-2 more100-3; do
  OMP_NUM_THREADS=${THREADS:-1} build/app/stemscope-cli evaluate-mix --corpus /work/corpus/$set --seconds 14 --models models \
    --pipelines default,$V --focus piano,guitar --embeddings /work/cache/views/emb/$set > /work/cache/views/eval-$set-$K.txt 2>&1
done
/usr/bin/python3 docs/results/focus_on_mixes_model_ab.py --a /work/cache/views/emb/{val48,more100-0,more100-1,more100-2,more100-3} \
  --b /work/cache/views/emb/{val48,more100-0,more100-1,more100-2,more100-3} --focus piano,guitar --pipeline default --pipeline-b $V
