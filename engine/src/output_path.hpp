// Where a results file may go, checked before any month is simulated, and how it gets there.
//
// Design decisions
// - Every way an output path can be wrong is found before the run: empty, a directory (or a name
//   ending in '/'), a device, FIFO or socket, a parent that cannot be created or written, one of
//   the run's own input files (scenario, its extends chain, the experiment file), an existing
//   file or symbolic link (dangling or not) without --overwrite. A long simulation never ends in
//   "cannot create file".
// - --overwrite replaces only regular files (or a link to one, the link itself being replaced);
//   never a directory, a device or an input.
// - The finished file is renamed into place with renameat2(RENAME_NOREPLACE) unless --overwrite
//   was given, so a file created meanwhile under that name is never clobbered (link + unlink on
//   file systems without the flag).
// - Names that end up in file names (scenario and experiment `name`) are restricted to printable
//   text without '/', '\', NUL, control characters, "." or "..", at most kMaxNameLength bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace regionsim {

inline constexpr std::size_t kMaxNameLength = 128;

// Throws InputError naming `what` ("scenario name", "experiment name") when `name` is unsafe as
// part of a file name.
void check_file_name_part(std::string_view what, std::string_view name);

// Throws InputError (exit 2) when `output` cannot or may not be written; creates its parent
// directory if missing. `inputs` are the files the run reads.
void check_output_path(const std::string& output, bool overwrite,
                       const std::vector<std::string>& inputs);

// Renames the complete temporary file `partial` to `output`; without `overwrite` refuses
// (InputError) if `output` appeared meanwhile.
void publish_output(const std::string& partial, const std::string& output, bool overwrite);

// The name an interrupted run's file gets: "out/x.h5" -> "out/x.incomplete.h5".
std::string incomplete_path(const std::string& output);

// Temporary files "<output>.partial-PID" (and of its incomplete name) left by processes that no
// longer run.
std::vector<std::string> stale_partial_files(const std::string& output);

}  // namespace regionsim
