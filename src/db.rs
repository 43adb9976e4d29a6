//! The store's async face: SQLite calls block, so they run on tokio's blocking pool, never on
//! the threads that serve HTTP.

use std::sync::Arc;

use rusqlite::{Connection, Transaction};

use crate::store::Store;

/// A cheaply cloneable handle to the store for async code.
#[derive(Clone)]
pub struct Db(Arc<Store>);

impl Db {
    pub fn new(store: Store) -> Db {
        Db(Arc::new(store))
    }

    pub async fn read<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> anyhow::Result<T> + Send + 'static,
    {
        let store = self.0.clone();
        tokio::task::spawn_blocking(move || store.read(f)).await?
    }

    pub async fn write<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction) -> anyhow::Result<T> + Send + 'static,
    {
        let store = self.0.clone();
        tokio::task::spawn_blocking(move || store.write(f)).await?
    }

    pub async fn is_healthy(&self) -> bool {
        let store = self.0.clone();
        tokio::task::spawn_blocking(move || store.is_healthy())
            .await
            .unwrap_or(false)
    }
}
