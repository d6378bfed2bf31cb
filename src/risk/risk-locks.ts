/** PostgreSQL advisory lock key of the daily risk refresh: one instance runs it at a time. */
export const REFRESH_LOCK_KEY = 0x466f7265; // 'Fore'
/** PostgreSQL advisory lock key of the re-assessment of states whose wave moved: one instance drains them at a time. */
export const PENDING_LOCK_KEY = 0x46577776; // 'FWwv'
