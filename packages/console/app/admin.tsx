// The operators' pages, served with the admin key, in one import for the console's shell: each page
// lives in its own module (accounts.tsx, operations.tsx).
export { Accounts } from './accounts';
export { Operations } from './operations';
