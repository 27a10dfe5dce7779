/** The query parameters of a URL, or undefined when it does not parse (referrers can be anything). */
export function queryOf(url: string | null | undefined): URLSearchParams | undefined {
  if (!url) return undefined
  try {
    return new URL(url).searchParams
  } catch {
    return undefined
  }
}
