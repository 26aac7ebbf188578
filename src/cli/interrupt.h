// Ctrl-C (SIGINT) and SIGTERM during a run: the first one calls `stop` (the
// engine starts no new task, running ones finish, the recap is printed); a
// second one ends the process at once.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <functional>
#include <memory>

namespace fleetk8s::cli {

// Watches the signals until the returned set is cancelled or destroyed.
std::unique_ptr<boost::asio::signal_set> on_interrupt(boost::asio::io_context& io, std::function<void()> stop);

}  // namespace fleetk8s::cli
