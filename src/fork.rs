//! Fork safety. A forked child has only the thread that called fork(); any
//! lock another thread held at that moment stays locked forever in the
//! child, and a OnceLock another thread was initialising never completes.
//! Every critical section of the core that takes such a lock runs under a
//! read guard of one process-wide RwLock, and pthread_atfork handlers take
//! the write side around fork() itself, so fork() happens only between
//! critical sections. (pthread_atfork rather than os.register_at_fork: no
//! Python code runs between its prepare and parent handlers, so a thread
//! that enters a critical section while holding the GIL can never be left
//! waiting for a writer that waits for the GIL.) Critical sections must not
//! run Python code or wait for the GIL.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{RwLock, RwLockWriteGuard};

static FORK_GUARD: RwLock<()> = RwLock::new(());

thread_local! {
    static HELD_FOR_FORK: RefCell<Option<RwLockWriteGuard<'static, ()>>> = const { RefCell::new(None) };
}

/// Runs `f` as a critical section fork() cannot split. Not reentrant: a
/// section must not start another.
pub fn critical<T>(f: impl FnOnce() -> T) -> T {
    let _guard = FORK_GUARD.read().unwrap_or_else(|e| e.into_inner());
    f()
}

/// Before fork(): wait for every critical section to end and hold them off.
extern "C" fn before_fork() {
    let guard = FORK_GUARD.write().unwrap_or_else(|e| e.into_inner());
    HELD_FOR_FORK.with(|slot| *slot.borrow_mut() = Some(guard));
}

/// After fork(), in the parent and in the child (the same thread that
/// called `before_fork`, which is the child's only thread).
extern "C" fn after_fork() {
    HELD_FOR_FORK.with(|slot| slot.borrow_mut().take());
}

extern "C" fn after_fork_in_child() {
    PID.store(std::process::id(), Ordering::Relaxed);
    after_fork();
}

/// This process's id, kept up to date across fork() by the child handler:
/// `std::process::id()` is a system call, and every call asks twice.
static PID: AtomicU32 = AtomicU32::new(0);

pub fn current_pid() -> u32 {
    match PID.load(Ordering::Relaxed) {
        0 => {
            install();
            let pid = std::process::id();
            PID.store(pid, Ordering::Relaxed);
            pid
        }
        pid => pid,
    }
}

/// Installs the handlers (once per process; a forked child inherits them).
pub fn install() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        // SAFETY: the handlers are plain functions that only touch the
        // RwLock above and a thread-local, both valid for the process's life.
        unsafe {
            libc::pthread_atfork(
                Some(before_fork),
                Some(after_fork),
                Some(after_fork_in_child),
            );
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forked_child_can_enter_critical_sections() {
        install();
        let reader = std::thread::spawn(|| {
            for _ in 0..10_000 {
                critical(|| std::hint::black_box(1));
            }
        });
        for _ in 0..20 {
            // SAFETY: the child only runs a critical section and _exit()s.
            let pid = unsafe { libc::fork() };
            if pid == 0 {
                critical(|| ());
                unsafe { libc::_exit(0) };
            }
            let mut status = 0;
            unsafe { libc::waitpid(pid, &mut status, 0) };
            assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
        }
        reader.join().unwrap();
    }
}
