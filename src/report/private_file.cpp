#include "fleetk8s/report/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "fleetk8s/core/random.h"

namespace fleetk8s::report {

namespace fs = std::filesystem;

namespace {

bool write_all(int fd, const std::string& text) {
  for (size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// The directory entry of the rename reaches the disk too (best effort).
void sync_dir(const fs::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

Result<void> write_private_file(const std::string& path, const std::string& text) {
  auto fail = [&](const std::string& why) { return Error(ErrorKind::kIo, path + ": cannot write: " + why); };
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode))
    return fail("it is a symbolic link (fleetk8s does not write through one; remove it or choose another path)");
  const fs::path target(path);
  const fs::path tmp = target.parent_path() / ("." + target.filename().string() + ".tmp." + random_hex(8));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return fail(std::strerror(errno));
  const bool written = write_all(fd, text) && ::fsync(fd) == 0;
  const int err = errno;
  if (::close(fd) != 0 || !written || ::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(written ? errno : err);
    ::unlink(tmp.c_str());
    return fail(why);
  }
  sync_dir(target.parent_path());
  return {};
}

Result<void> make_private_dirs(const std::string& path) {
  fs::path so_far;
  for (const auto& part : fs::path(path)) {
    so_far /= part;
    if (part.empty() || part == "/") continue;
    if (::mkdir(so_far.c_str(), 0700) == 0 || errno == EEXIST) {
      std::error_code ec;
      if (fs::is_directory(so_far, ec)) continue;
      return Error(ErrorKind::kIo, so_far.string() + ": it exists and is no directory");
    }
    return Error(ErrorKind::kIo, so_far.string() + ": " + std::strerror(errno));
  }
  return {};
}

Result<std::string> make_private_temp_dir(const std::string& prefix) {
  std::string pattern = prefix + "XXXXXX";
  if (!::mkdtemp(pattern.data())) return Error(ErrorKind::kIo, prefix + "XXXXXX: " + std::strerror(errno));
  return pattern;
}

Result<std::string> rename_to_free_name(const std::string& from, const std::string& to) {
  for (int n = 1; n < 100; ++n) {
    const std::string name = n == 1 ? to : to + "-" + std::to_string(n);
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, name.c_str(), RENAME_NOREPLACE) == 0) return name;
    if (errno != EEXIST) return Error(ErrorKind::kIo, "cannot rename " + from + " to " + name + ": " + std::strerror(errno));
  }
  return Error(ErrorKind::kIo, "cannot rename " + from + " to " + to + ": " + to + " and " + to + "-2 to -99 exist");
}

std::FILE* open_private_append(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return nullptr;
  std::FILE* f = ::fdopen(fd, "a");
  if (!f) ::close(fd);
  return f;
}

}  // namespace fleetk8s::report
