#include "fleetk8s/core/file.h"

#include <cerrno>
#include <cstdlib>
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

std::string expand_home(const std::string& path) {
  if (path == "~" || path.rfind("~/", 0) == 0) {
    const char* home = std::getenv("HOME");
    if (home && *home) return home + path.substr(1);
  }
  return path;
}

}  // namespace fleetk8s
