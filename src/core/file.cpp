#include "fleetk8s/core/file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fleetk8s {

Result<std::string> read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Error(ErrorKind::kIo, path + ": cannot read: " + std::strerror(EISDIR));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    return Error(err == ENOENT ? ErrorKind::kNotFound : ErrorKind::kIo, path + ": cannot read: " + std::strerror(err));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error(ErrorKind::kIo, path + ": cannot read: I/O error");
  return text.str();
}

}  // namespace fleetk8s
