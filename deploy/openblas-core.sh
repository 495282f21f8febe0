# Sourced by bin/wgan-spark, deploy/local-standalone.sh and deploy/templates/submit-yarn.sh: chooses OpenBLAS's
# kernels from the CPU's flags when the user has not. The OpenBLAS that ND4J bundles (0.3.19) does not know some newer
# CPU models (Intel's family 6 model 207 reports "Core: Prescott" under OPENBLAS_VERBOSE=2) and falls back to SSE3
# kernels, which run the training step at less than half the speed of the AVX-512 ones.
if [[ -z "${OPENBLAS_CORETYPE:-}" && -r /proc/cpuinfo ]]; then
  _flags=" $(grep -m1 '^flags' /proc/cpuinfo) "
  if [[ "$_flags" == *" avx512f "* && "$_flags" == *" avx512bw "* && "$_flags" == *" avx512vl "* && "$_flags" == *" avx512dq "* ]]; then
    export OPENBLAS_CORETYPE=SkylakeX
  elif [[ "$_flags" == *" avx2 "* && "$_flags" == *" fma "* ]]; then
    export OPENBLAS_CORETYPE=Haswell
  fi
  unset _flags
fi
