/** PostgreSQL advisory lock key of the daily risk refresh: one instance runs it at a time. */
export const REFRESH_LOCK_KEY = 0x466f7265; // 'Fore'
