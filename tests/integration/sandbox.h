// Access to the sandbox fleet the integration tests run against: the
// directory comes from $FLEETK8S_SANDBOX (set by CTest's fixture, which ran
// `scripts/sandbox-fleet up`).
#pragma once

#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "fleetk8s/inventory/connection.h"
#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/ssh/transport.h"

namespace fleetk8s::testing {

// The fleet directory; fails the test when unset.
std::string sandbox_dir();

// ConnectOptions for inventory host `name` as the fleet's inventory gives
// them (root, fleet key, fleet known_hosts, strict checking, no agent).
ssh::ConnectOptions sandbox_host(const std::string& name);

// Runs `script` through bash -c and returns its exit status.
int shell(const std::string& script);

// A path in this test process's private scratch directory, removed at exit
// (the fleet's own directory must hold only what sandbox-fleet wrote).
std::string tmp_path(const std::string& name);

// Connects, runs one command, closes.
Result<CommandResult> run_once(ssh::ConnectOptions options, std::string command, ssh::ExecOptions exec = {});

// Connects and closes; `notices` (if given) collects "host: message" lines.
Result<void> connect_only(ssh::ConnectOptions options, std::vector<std::string>* notices = nullptr);

// A private ssh-agent holding one key, with $SSH_AUTH_SOCK pointing at it
// while this object lives; the previous $SSH_AUTH_SOCK comes back after.
class ScopedAgent {
 public:
  explicit ScopedAgent(const std::string& key_file);
  ~ScopedAgent();
  ScopedAgent(const ScopedAgent&) = delete;
  ScopedAgent& operator=(const ScopedAgent&) = delete;

 private:
  std::string socket_;
  std::optional<std::string> saved_;
};

// Runs a coroutine to completion on a fresh io_context and returns its value.
// Exceptions (failed REQUIREs) are rethrown here.
template <class T, class F>
T run_async(F&& make) {
  boost::asio::io_context io;
  std::optional<T> out;
  std::exception_ptr error;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        try {
          out.emplace(co_await make(io.get_executor()));
        } catch (...) {
          error = std::current_exception();
        }
      },
      boost::asio::detached);
  io.run();
  if (error) std::rethrow_exception(error);
  return std::move(*out);
}

}  // namespace fleetk8s::testing
