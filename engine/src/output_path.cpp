#include "output_path.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <csignal>

#include <cerrno>
#include <cstdio>  // renameat2, RENAME_NOREPLACE (glibc, _GNU_SOURCE)
#include <cstring>
#include <filesystem>
#include <system_error>

#include "regionsim/scenario_loader.hpp"

namespace regionsim {

namespace {

namespace fs = std::filesystem;

std::string quoted(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "'";
}

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  const bool same = fs::equivalent(a, b, ec);
  return !ec && same;
}

const char* kind_of(fs::file_type type) {
  switch (type) {
    case fs::file_type::directory:
      return "a directory";
    case fs::file_type::block:
      return "a block device";
    case fs::file_type::character:
      return "a character device";
    case fs::file_type::fifo:
      return "a FIFO";
    case fs::file_type::socket:
      return "a socket";
    default:
      return "not a regular file";
  }
}

}  // namespace

void check_file_name_part(std::string_view what, std::string_view name) {
  const auto fail = [&](const std::string& why) {
    throw InputError(std::string(what) + " " + quoted(name.substr(0, 200)) +
                     (name.size() > 200 ? "..." : "") + ": " + why);
  };
  if (name.empty()) fail("expected a non-empty name (it names the output file)");
  if (name.size() > kMaxNameLength)
    fail("is " + std::to_string(name.size()) + " bytes long; expected at most " +
         std::to_string(kMaxNameLength) + " (it names the output file)");
  if (name == "." || name == "..") fail("expected a name, not a directory reference");
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f)
      fail("contains a control character; expected printable text (it names the output file)");
    if (c == '/' || c == '\\')
      fail(
          "contains '/' or '\\'; expected a name without directory separators (it names the "
          "output file; choose a directory with -o)");
  }
}

void check_output_path(const std::string& output, bool overwrite,
                       const std::vector<std::string>& inputs) {
  if (output.empty()) throw InputError("output path is empty; expected -o FILE.h5");
  if (output.back() == '/')
    throw InputError("output path '" + output +
                     "' names a directory; expected a file name such as '" + output +
                     "results.h5'");
  const fs::path target(output);
  std::error_code ec;
  const fs::file_status link = fs::symlink_status(target, ec);
  if (fs::exists(link)) {
    for (const std::string& input : inputs)
      if (same_file(target, input))
        throw InputError("output path '" + output + "' is the input file '" + input +
                         "'; expected another name (--overwrite never replaces an input)");
    const fs::file_status status = fs::status(target, ec);
    if (fs::is_symlink(link) && !fs::exists(status)) {
      if (!overwrite)
        throw InputError(
            "output path '" + output +
            "' is a dangling symbolic link; pass --overwrite to replace the link or -o "
            "to choose another name");
    } else if (!fs::is_regular_file(status)) {
      throw InputError("output path '" + output + "' is " + kind_of(status.type()) +
                       "; expected a regular file (--overwrite replaces only regular files)");
    } else if (!overwrite) {
      throw InputError(
          "output file '" + output +
          "' already exists; pass --overwrite to replace it or -o to choose another name");
    }
  }
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec || !fs::is_directory(parent))
    throw InputError("cannot create the directory '" + parent.string() + "' for '" + output + "'" +
                     (ec ? ": " + ec.message() : std::string(": not a directory")));
  if (::access(parent.c_str(), W_OK | X_OK) != 0)
    throw InputError("cannot write in the directory '" + parent.string() + "' for '" + output +
                     "': " + std::error_code(errno, std::generic_category()).message());
}

void publish_output(const std::string& partial, const std::string& output, bool overwrite) {
  if (overwrite) {
    std::error_code ec;
    const fs::file_status status = fs::symlink_status(output, ec);
    if (fs::exists(status) && !fs::is_regular_file(status) && !fs::is_symlink(status))
      throw InputError("output path '" + output + "' became " + kind_of(status.type()) +
                       " while the run was going; not replaced");
    fs::rename(partial, output);
    return;
  }
  if (::renameat2(AT_FDCWD, partial.c_str(), AT_FDCWD, output.c_str(), RENAME_NOREPLACE) == 0)
    return;
  int error = errno;
  if (error == EINVAL || error == ENOSYS) {  // the file system lacks RENAME_NOREPLACE
    if (::link(partial.c_str(), output.c_str()) == 0) {
      ::unlink(partial.c_str());
      return;
    }
    error = errno;
  }
  if (error == EEXIST)
    throw InputError("output file '" + output +
                     "' was created while the run was going; pass --overwrite to replace it or -o "
                     "to choose another name");
  throw std::system_error(error, std::generic_category(),
                          "cannot rename '" + partial + "' to '" + output + "'");
}

std::string incomplete_path(const std::string& output) {
  const fs::path path(output);
  if (path.extension() == ".h5" || path.extension() == ".nc")
    return (path.parent_path() / path.stem()).string() + ".incomplete" + path.extension().string();
  return output + ".incomplete.h5";
}

std::vector<std::string> stale_partial_files(const std::string& output) {
  std::vector<std::string> stale;
  if (output.empty() || output.back() == '/') return stale;
  const fs::path target(output);
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::vector<std::string> prefixes;
  for (const std::string& name : {output, incomplete_path(output)})
    prefixes.push_back(fs::path(name).filename().string() + ".partial-");
  std::error_code ec;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    for (const std::string& prefix : prefixes) {
      if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
      std::string digits = name.substr(prefix.size());
      // A snapshot's temporary (nc_writer_image.cpp) left by a kill during its write.
      if (digits.size() > 4 && digits.compare(digits.size() - 4, 4, ".tmp") == 0)
        digits.resize(digits.size() - 4);
      if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
        continue;
      const pid_t pid = static_cast<pid_t>(std::stol(digits));
      if (pid == ::getpid()) continue;
      if (::kill(pid, 0) != 0 && errno == ESRCH) stale.push_back(it->path().string());
    }
  }
  return stale;
}

}  // namespace regionsim
