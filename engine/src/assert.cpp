#include "assert.hpp"

#include <cstdio>
#include <cstdlib>

namespace regionsim {

void assertion_failed(const char* condition, const char* message, const char* file,
                      int line) noexcept {
  std::fprintf(stderr, "%s:%d: internal error: assertion `%s` failed: %s\n", file, line, condition,
               message);
  std::fflush(stderr);
  std::abort();
}

}  // namespace regionsim
