#include "jump_pool.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "ssh_connection.h"

namespace fleetk8s::ssh {

namespace asio = boost::asio;

namespace {

// Ends a jump session politely once nothing uses it any more. Static with
// its arguments by value: it runs after the JumpSession is gone.
Task<void> close_later(std::unique_ptr<SshConnection> connection) { co_await connection->close(); }

}  // namespace

JumpSession::JumpSession(std::unique_ptr<SshConnection> connection) : connection_(std::move(connection)) {}

JumpSession::~JumpSession() {
  if (!connection_) return;
  auto ex = connection_->core()->executor();
  asio::co_spawn(ex, close_later(std::move(connection_)), asio::detached);
}

const std::shared_ptr<SessionCore>& JumpSession::core() const { return connection_->core(); }

std::string jump_key(const ConnectOptions& hop) {
  std::string key;
  for (const auto& before : hop.jump_hosts) key += jump_key(before) + " > ";
  // Hosts share a jump session only when they would verify it alike.
  return key + hop.user + "@" + hop.address + ":" + std::to_string(hop.port) + " [" +
         to_string(hop.host_key_policy) + " " + hop.known_hosts_file + " " + hop.host_key_alias + "]";
}

std::string describe_jump(const ConnectOptions& hop) {
  const std::string where = hop.address + ":" + std::to_string(hop.port);
  return hop.name.empty() || hop.name == hop.address ? where : where + " (" + hop.name + ")";
}

JumpPool::JumpPool(asio::any_io_executor executor, NoticeSink notices)
    : executor_(std::move(executor)), notices_(std::move(notices)) {}

Task<Result<std::shared_ptr<JumpSession>>> JumpPool::acquire(ConnectOptions hop) {
  const std::string key = jump_key(hop);
  if (auto it = open_.find(key); it != open_.end()) {
    if (auto session = it->second.lock(); session && !session->core()->dead()) co_return session;
    open_.erase(it);
  }
  if (auto it = opening_.find(key); it != opening_.end()) {
    auto attempt = it->second;  // keeps it alive while we sleep
    boost::system::error_code ec;
    co_await attempt->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (attempt->session) co_return attempt->session;
    co_return *attempt->error;
  }
  auto attempt = std::make_shared<Opening>(executor_);
  opening_[key] = attempt;
  auto opened = co_await open_ssh_connection(executor_, hop, notices_, shared_from_this());
  opening_.erase(key);
  if (opened) {
    attempt->session = std::make_shared<JumpSession>(std::move(*opened));
    open_[key] = attempt->session;
  } else {
    attempt->error = opened.error();
  }
  attempt->done.cancel();  // wakes the waiters
  if (!opened) co_return opened.error();
  co_return attempt->session;
}

}  // namespace fleetk8s::ssh
