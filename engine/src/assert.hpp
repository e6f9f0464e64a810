// Internal assertions: the second tier of errors (docs: STYLE.md, "Errors, in two tiers"). Bad
// input is an InputError with a message for the user; a broken invariant of the engine itself
// (a logit choice with no alternative, an index past its table) is a programmer error, checked
// by REGIONSIM_ASSERT in the debug, asan and tsan builds (CMake option REGIONSIM_ASSERTS, set by
// those presets) and compiled out of release builds, where hot loops cannot afford it.
#pragma once

namespace regionsim {

#ifdef REGIONSIM_ENABLE_ASSERTS
inline constexpr bool kAssertsEnabled = true;
#else
inline constexpr bool kAssertsEnabled = false;
#endif

// Prints "file:line: assertion `condition` failed: message" to stderr and aborts.
[[noreturn]] void assertion_failed(const char* condition, const char* message, const char* file,
                                   int line) noexcept;

}  // namespace regionsim

#ifdef REGIONSIM_ENABLE_ASSERTS
#define REGIONSIM_ASSERT(condition, message)                                  \
  do {                                                                        \
    if (!(condition)) {                                                       \
      ::regionsim::assertion_failed(#condition, message, __FILE__, __LINE__); \
    }                                                                         \
  } while (false)
#else
// Off: the condition is still compiled (so it cannot rot) but never evaluated.
#define REGIONSIM_ASSERT(condition, message) \
  do {                                       \
    (void)sizeof(!(condition));              \
    (void)sizeof(message);                   \
  } while (false)
#endif
