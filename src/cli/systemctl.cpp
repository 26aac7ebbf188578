#include "systemctl.h"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace fleetk8s::cli {

namespace {

const char* fake_systemctl() {
  const char* fake = std::getenv("FLEETK8S_SYSTEMCTL");
  return fake && *fake ? fake : nullptr;
}

// This user's manager listens on $XDG_RUNTIME_DIR/systemd/private.
std::string user_manager_socket() {
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  return runtime && *runtime ? std::string(runtime) + "/systemd/private" : "";
}

}  // namespace

ProgramOutput run_program(const std::vector<std::string>& argv) {
  ProgramOutput out;
  int pipe_fds[2];
  if (argv.empty() || ::pipe(pipe_fds) != 0) return out;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (spawned != 0) {
    ::close(pipe_fds[0]);
    out.status = 127;
    out.text = argv[0] + ": cannot run it (not installed?)";
    return out;
  }
  char buf[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    out.text.append(buf, static_cast<size_t>(n));
  }
  ::close(pipe_fds[0]);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  out.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  return out;
}

bool Systemctl::running() const {
  if (fake_systemctl()) return true;
  std::error_code ec;
  if (!std::filesystem::is_directory("/run/systemd/system", ec)) return false;  // sd_booted()
  return !user_ || std::filesystem::exists(user_manager_socket(), ec);
}

std::string Systemctl::why_not() const {
  std::error_code ec;
  if (!std::filesystem::is_directory("/run/systemd/system", ec))
    return "systemd is not running on this machine (no /run/systemd/system)";
  return "this user's systemd manager is not running (no " +
         (user_manager_socket().empty() ? std::string("$XDG_RUNTIME_DIR") : user_manager_socket()) +
         "; log in, or `loginctl enable-linger`)";
}

ProgramOutput Systemctl::run(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {fake_systemctl() ? fake_systemctl() : "systemctl"};
  if (user_) argv.push_back("--user");
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv);
}

std::string Systemctl::shown(const std::vector<std::string>& args) const {
  std::string s = user_ ? "systemctl --user" : "systemctl";
  for (const auto& a : args) s += " " + a;
  return s;
}

}  // namespace fleetk8s::cli
