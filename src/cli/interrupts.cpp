#include "interrupts.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "io/output_temporaries.hpp"

namespace gprproc::cli {

namespace {
sigset_t interrupt_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
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
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread(wait_for_interrupt).detach();
}

}  // namespace gprproc::cli
