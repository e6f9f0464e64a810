// Writing an in-memory file's image to disk so that the name only ever shows a whole file:
// a temporary "<path>.tmp" written, then renamed over `path`. rename(2) replaces the name
// atomically, so a reader (or a process killed at any instant) sees the previous image or the new
// one, never a mixture. No fsync: it made snapshots ~40 % slower, and a killed process
// loses nothing the kernel already holds (docs/output.md, "Partial files").
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>  // renameat2, RENAME_NOREPLACE (glibc, _GNU_SOURCE)
#include <cstring>
#include <iterator>
#include <system_error>

#include "nc_writer_impl.hpp"

namespace regionsim::netcdf {

namespace {

// Bob Jenkins' lookup3 hashlittle (public domain), HDF5's checksum of file metadata
// (H5_checksum_lookup3 with an initial value of 0), byte by byte as the little-endian reader
// would compute it.
std::uint32_t rotate(std::uint32_t x, int k) {
  return (x << k) | (x >> (32 - k));
}

std::uint32_t lookup3(std::span<const unsigned char> data) {
  auto length = static_cast<std::uint32_t>(data.size());
  std::uint32_t a = 0xdeadbeefU + length, b = a, c = a;
  const auto word = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i)
      v |= at + i < data.size() ? static_cast<std::uint32_t>(data[at + i]) << (8 * i) : 0U;
    return v;
  };
  std::size_t at = 0;
  for (; length > 12; length -= 12, at += 12) {
    a += word(at);
    b += word(at + 4);
    c += word(at + 8);
    a -= c, a ^= rotate(c, 4), c += b;
    b -= a, b ^= rotate(a, 6), a += c;
    c -= b, c ^= rotate(b, 8), b += a;
    a -= c, a ^= rotate(c, 16), c += b;
    b -= a, b ^= rotate(a, 19), a += c;
    c -= b, c ^= rotate(b, 4), b += a;
  }
  if (length == 0) return c;
  a += word(at);  // the tail, zero-padded (word() reads nothing past the end)
  b += length > 4 ? word(at + 4) : 0U;
  c += length > 8 ? word(at + 8) : 0U;
  c ^= b, c -= rotate(b, 14);
  a ^= c, a -= rotate(c, 11);
  b ^= a, b -= rotate(a, 25);
  c ^= b, c -= rotate(b, 16);
  a ^= c, a -= rotate(c, 4);
  b ^= a, b -= rotate(a, 14);
  c ^= b, c -= rotate(b, 24);
  return c;
}

std::string reason(int error) {
  return std::error_code(error, std::generic_category()).message();
}

// rename without replacing; link + unlink where the file system lacks RENAME_NOREPLACE.
int rename_noreplace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return -1;
  if (::link(from.c_str(), to.c_str()) != 0) return -1;
  return ::unlink(from.c_str());
}

}  // namespace

void seal_superblock(std::span<unsigned char> image) {
  // Superblock version 2 and 3: signature (8), version, sizes of offsets and lengths, flags, four
  // addresses, then the checksum of everything before it.
  static constexpr unsigned char kSignature[] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  if (image.size() < 12 || !std::equal(std::begin(kSignature), std::end(kSignature), image.begin()))
    return;
  if (image[8] != 2 && image[8] != 3) return;
  const std::size_t at = 12 + 4 * static_cast<std::size_t>(image[9]);
  if (image.size() < at + 4) return;
  const std::uint32_t sum = lookup3(image.first(at));
  for (std::size_t i = 0; i < 4; ++i)
    image[at + i] = static_cast<unsigned char>(sum >> (8 * i));
}

void publish_image(const std::string& path, std::span<const unsigned char> image, bool first) {
  const std::string temporary = path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw NcError("netCDF writer: cannot create " + temporary + ": " + reason(errno));
  int error = 0;
  for (std::size_t done = 0; done < image.size() && error == 0;) {
    const ssize_t n = ::write(fd, image.data() + done, image.size() - done);
    if (n < 0 && errno != EINTR) error = errno;
    if (n > 0) done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 && error == 0) error = errno;
  // The first image must not replace a file someone else made under this name meanwhile.
  if (error == 0 &&
      (first ? rename_noreplace(temporary, path) : ::rename(temporary.c_str(), path.c_str())) != 0)
    error = errno;
  if (error != 0) {
    ::unlink(temporary.c_str());
    throw NcError("netCDF writer: cannot write " + path + ": " + reason(error));
  }
}

}  // namespace regionsim::netcdf
