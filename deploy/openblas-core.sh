# Sourced by bin/wgan-spark and deploy/local-standalone.sh: chooses OpenBLAS's kernels from the CPU's flags when
# the user has not. The OpenBLAS that ND4J bundles (0.3.19) does not know newer CPU models (this machine's "Intel
# Xeon Processor", family 6 model 207, reports "Core: Prescott" under OPENBLAS_VERBOSE=2) and falls back to SSE3
# kernels: the Fig. 5 critic step took 370 ms with them and 159 ms with the AVX-512 kernels (SkylakeX).
if [[ -z "${OPENBLAS_CORETYPE:-}" && -r /proc/cpuinfo ]]; then
  _flags=" $(grep -m1 '^flags' /proc/cpuinfo) "
  if [[ "$_flags" == *" avx512f "* && "$_flags" == *" avx512bw "* && "$_flags" == *" avx512vl "* && "$_flags" == *" avx512dq "* ]]; then
    export OPENBLAS_CORETYPE=SkylakeX
  elif [[ "$_flags" == *" avx2 "* && "$_flags" == *" fma "* ]]; then
    export OPENBLAS_CORETYPE=Haswell
  fi
  unset _flags
fi
