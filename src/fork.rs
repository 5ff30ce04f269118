//! Fork safety. A forked child has only the thread that called fork(); any
//! lock another thread held at that moment stays locked forever in the
//! child, and a OnceLock another thread was initialising never completes.
//! Every critical section of the core that takes such a lock runs under a
//! read guard of one process-wide RwLock, and the binding takes the write
//! side around fork() (Python's os.register_at_fork), so fork() happens only
//! between critical sections.

use std::cell::RefCell;
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
pub fn before_fork() {
    let guard = FORK_GUARD.write().unwrap_or_else(|e| e.into_inner());
    HELD_FOR_FORK.with(|slot| *slot.borrow_mut() = Some(guard));
}

/// After fork(), in the parent and in the child (the same thread that
/// called `before_fork`, which is the child's only thread).
pub fn after_fork() {
    HELD_FOR_FORK.with(|slot| slot.borrow_mut().take());
}
