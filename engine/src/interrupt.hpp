// SIGINT, SIGTERM and SIGHUP end a run cleanly: the first one sets a flag that every run checks
// at the end of each month, so the runs stop at a month boundary and what exists is written as a
// file marked incomplete; the handler then reverts to the default, so a second signal kills at
// once. Nothing else happens inside the handler (only async-signal-safe stores).
#pragma once

#include <atomic>

namespace regionsim {

// Installs the handlers; the returned flag holds the number of the first signal received (0
// while none). The same flag on every call.
const std::atomic<int>& install_interrupt_handlers();

// "SIGINT", "SIGTERM", "SIGHUP", or "signal N".
const char* signal_name(int signal);

}  // namespace regionsim
