//! An in-process responder that may answer the requests a thread sends
//! instead of the network: the binding layer installs one around a
//! blocking call while moto's `mock_aws` is active, as botocore's
//! `before-send` event lets moto answer boto3's requests. Every request of
//! the call goes through it (retries, the region redirector's HeadBucket,
//! S3 Express CreateSession, credential providers' STS calls), fully
//! validated, serialized and signed; what it declines goes to the network.

use std::cell::RefCell;
use std::rc::Rc;

use crate::error::Result;
use crate::protocol::{HttpRequest, HttpResponse};

pub trait Responder {
    /// The response to `request`, or `Ok(None)` to let it go to the network.
    /// `request.headers` include the `Content-Length` the transport adds.
    fn respond(&self, request: &HttpRequest) -> Result<Option<HttpResponse>>;
}

thread_local! {
    static RESPONDER: RefCell<Option<Rc<dyn Responder>>> = const { RefCell::new(None) };
}

/// Runs `f` with `responder` answering this thread's requests.
pub fn with_responder<R>(responder: Rc<dyn Responder>, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Rc<dyn Responder>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            RESPONDER.with(|slot| *slot.borrow_mut() = previous);
        }
    }
    let _restore = Restore(RESPONDER.with(|slot| slot.borrow_mut().replace(responder)));
    f()
}

/// The installed responder's answer, if there is one and it answers.
pub(crate) fn respond(request: &HttpRequest) -> Option<Result<HttpResponse>> {
    let responder = RESPONDER.with(|slot| slot.borrow().clone())?;
    let mut with_length = request.clone();
    if let Some(length) = crate::transport::content_length(request) {
        with_length
            .headers
            .push(("Content-Length".into(), length.to_string()));
    }
    responder.respond(&with_length).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    struct Counting {
        seen: Cell<usize>,
        answer: bool,
    }

    impl Responder for Counting {
        fn respond(&self, request: &HttpRequest) -> Result<Option<HttpResponse>> {
            self.seen.set(self.seen.get() + 1);
            assert!(request
                .headers
                .iter()
                .any(|(k, v)| k == "Content-Length" && v == "2"));
            Ok(self.answer.then(|| HttpResponse {
                status: 204,
                headers: vec![],
                body: vec![],
            }))
        }
    }

    fn put() -> HttpRequest {
        HttpRequest {
            method: "PUT",
            url: "https://b.s3.amazonaws.com/?policy".into(),
            headers: vec![],
            body: b"{}".to_vec(),
        }
    }

    #[test]
    fn answers_only_inside_and_only_on_its_thread() {
        assert!(respond(&put()).is_none());
        let responder = Rc::new(Counting {
            seen: Cell::new(0),
            answer: true,
        });
        with_responder(responder.clone(), || {
            let answer = respond(&put()).unwrap().unwrap();
            assert_eq!(answer.status, 204);
            std::thread::spawn(|| assert!(respond(&put()).is_none()))
                .join()
                .unwrap();
        });
        assert_eq!(responder.seen.get(), 1);
        assert!(respond(&put()).is_none());
    }

    #[test]
    fn a_declined_request_goes_on_and_nesting_restores() {
        let declining = Rc::new(Counting {
            seen: Cell::new(0),
            answer: false,
        });
        let answering = Rc::new(Counting {
            seen: Cell::new(0),
            answer: true,
        });
        with_responder(declining.clone(), || {
            assert!(respond(&put()).is_none());
            with_responder(answering.clone(), || assert!(respond(&put()).is_some()));
            assert!(respond(&put()).is_none());
        });
        assert_eq!((declining.seen.get(), answering.seen.get()), (2, 1));
    }
}
