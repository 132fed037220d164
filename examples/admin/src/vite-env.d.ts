/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_ADMIN_API?: string
  readonly VITE_ADMIN_FOLDER?: string
  readonly VITE_ADMIN_LISTING_REFRESH_MS?: string
  readonly VITE_ADMIN_CHECK_MS?: string
  readonly VITE_ADMIN_TOUCH_MS?: string
}
