#include "interrupt.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>

namespace fleetk8s::cli {

std::unique_ptr<boost::asio::signal_set> on_interrupt(boost::asio::io_context& io, std::function<void()> stop,
                                                      std::function<void()> now) {
  auto signals = std::make_unique<boost::asio::signal_set>(io, SIGINT, SIGTERM);
  auto* raw = signals.get();
  signals->async_wait([raw, stop, now](const boost::system::error_code& ec, int) {
    if (ec) return;
    stop();
    raw->async_wait([now](const boost::system::error_code& again, int signal) {
      if (again) return;
      if (now) now();
      std::fflush(nullptr);
      std::_Exit(128 + signal);
    });
  });
  return signals;
}

}  // namespace fleetk8s::cli
