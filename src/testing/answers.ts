import { HttpResponse } from 'msw'

/** A simulated server's answer before it becomes a `Response`; no `body` means no content. */
export interface Answer {
  status: number
  body?: unknown
}

/** The lock object of an unlocked (or expired) item, the same on both servers. */
export const UNLOCKED = { locked: false, stealable: true } as const

export function ok(body: unknown): Answer {
  return { status: 200, body }
}

export function noContent(): Answer {
  return { status: 204 }
}

/** The error body both servers use: `{"error": {"type", "message"}}`. */
export function errorAnswer(status: number, type: string, message: string): Answer {
  return { status, body: { error: { type, message } } }
}

export const unauthorized = (): Answer =>
  errorAnswer(401, 'Unauthorized', 'You are not authorized to access this resource.')

export const alreadyLocked = (): Answer =>
  errorAnswer(401, 'Already locked', 'This document is already locked by another user.')

/** Nick's refusal of `DELETE @lock`, with its typographic apostrophe. */
export const notAllowed = (): Answer =>
  errorAnswer(401, 'Not allowed', 'You don’t have permission to unlock this document.')

export const methodNotAllowed = (method: string): Answer =>
  errorAnswer(405, 'MethodNotAllowed', `Method ${method} is not allowed here.`)

/** The `Response` msw sends for an answer: its body as JSON, or no content. */
export function toResponse(answer: Answer): Response {
  if (answer.body === undefined) return new HttpResponse(null, { status: answer.status })
  return new HttpResponse(JSON.stringify(answer.body), {
    status: answer.status,
    headers: { 'Content-Type': 'application/json' },
  })
}
