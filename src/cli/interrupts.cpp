#include "interrupts.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "io/output_temporaries.hpp"

namespace gprproc::cli {

namespace {
// The signals handled: those the command was not started ignoring (nohup
// ignores SIGHUP, a shell's background job SIGINT; they stay ignored).
sigset_t interrupt_signals() {
  static const sigset_t handled = [] {
    sigset_t set;
    sigemptyset(&set);
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction current {};
      if (sigaction(signal_number, nullptr, &current) == 0 && current.sa_handler == SIG_IGN) continue;
      sigaddset(&set, signal_number);
    }
    return set;
  }();
  return handled;
}

void wait_for_interrupt() {
  const sigset_t set = interrupt_signals();
  int signal_number = 0;
  while (sigwait(&set, &signal_number) != 0) {
  }
  // Waits for a rename or a publish in progress, then removes what is left.
  auto hold = io_detail::hold_temporaries();
  io_detail::remove_registered_temporaries();
  const char* name = signal_number == SIGINT ? "SIGINT" : signal_number == SIGTERM ? "SIGTERM" : "SIGHUP";
  const std::string message = std::string("gprproc: interrupted by ") + name + "; no partial output was left\n";
  if (::write(STDERR_FILENO, message.data(), message.size()) < 0) {
    // Nothing more to do about a closed standard error.
  }
  // End the process by the signal itself, so the caller sees how it ended.
  ::signal(signal_number, SIG_DFL);
  sigset_t one;
  sigemptyset(&one);
  sigaddset(&one, signal_number);
  pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
  ::raise(signal_number);
  ::_exit(128 + signal_number);
}
}  // namespace

void handle_interrupts() {
  const sigset_t set = interrupt_signals();
  if (sigisemptyset(&set)) return;
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread(wait_for_interrupt).detach();
}

}  // namespace gprproc::cli
