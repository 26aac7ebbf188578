// Ctrl-C (SIGINT) and SIGTERM during a run: the first one calls `stop` (the
// engine starts no new task, running ones finish, the recap is printed); a
// second one calls `now` (print what is known: the recap so far) and ends
// the process at once with 128 + the signal, waiting for nothing.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <functional>
#include <memory>

namespace fleetk8s::cli {

// Watches the signals until the returned set is cancelled or destroyed.
std::unique_ptr<boost::asio::signal_set> on_interrupt(boost::asio::io_context& io, std::function<void()> stop,
                                                      std::function<void()> now = {});

}  // namespace fleetk8s::cli
