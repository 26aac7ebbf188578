#include "interrupt.h"

#include <csignal>
#include <cstdlib>

namespace fleetk8s::cli {

std::unique_ptr<boost::asio::signal_set> on_interrupt(boost::asio::io_context& io, std::function<void()> stop) {
  auto signals = std::make_unique<boost::asio::signal_set>(io, SIGINT, SIGTERM);
  auto* raw = signals.get();
  signals->async_wait([raw, stop](const boost::system::error_code& ec, int) {
    if (ec) return;
    stop();
    raw->async_wait([](const boost::system::error_code& again, int signal) {
      if (!again) std::_Exit(128 + signal);
    });
  });
  return signals;
}

}  // namespace fleetk8s::cli
