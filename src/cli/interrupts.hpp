#pragma once
// Ctrl-C (SIGINT), SIGTERM and SIGHUP during a command: the temporaries of
// outputs being written are removed and the command ends with the signal
// (exit status 128 + its number: 130, 143, 129), leaving no partial file.
namespace gprproc::cli {

// Call first in main, before any thread starts: blocks the three signals in
// every thread (those not started ignored: nohup's SIGHUP stays ignored) and
// waits for them on a thread of its own, which (outside a
// rename or a publish in progress, which it lets finish) removes the
// registered temporaries and re-raises the signal.
void handle_interrupts();

}  // namespace gprproc::cli
