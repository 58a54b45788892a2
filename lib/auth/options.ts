import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { verifyPassword } from "@/lib/auth/password";
import { consumeAuthToken } from "@/lib/auth/tokens";
import { normalizeEmail } from "@/lib/users/account";

type SignedIn = { id: string; email: string; name: string; sessionVersion: number; language: string };

async function signedIn(userId: string): Promise<SignedIn | null> {
  const user = await db.user.update({
    where: { id: userId },
    data: { lastSignInAt: new Date() },
    select: { id: true, email: true, name: true, sessionVersion: true, language: true, active: true },
  });
  if (!user.active) throw new Error("AccountDisabled");
  return user;
}

export const authOptions: NextAuthOptions = {
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/signin", error: "/signin" },
  providers: [
    CredentialsProvider({
      id: "password",
      name: "Password",
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(credentials) {
        const email = normalizeEmail(credentials?.email ?? "");
        const password = credentials?.password ?? "";
        if (!email || !password) return null;
        const user = await db.user.findUnique({ where: { email }, select: { id: true, active: true, passwordHash: true } });
        // Same work and same answer whether or not the address exists.
        const ok = await verifyPassword(password, user?.passwordHash ?? "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        if (!user || !ok) return null;
        if (!user.active) throw new Error("AccountDisabled");
        return signedIn(user.id);
      },
    }),
    CredentialsProvider({
      id: "magic-link",
      name: "Magic link",
      credentials: { token: { type: "text" } },
      async authorize(credentials) {
        const token = credentials?.token ?? "";
        if (!token) return null;
        const t = await consumeAuthToken(db, "MAGIC_LINK", token);
        if (!t?.userId) throw new Error("LinkExpired");
        return signedIn(t.userId);
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        const u = user as unknown as SignedIn;
        token.sub = u.id;
        token.sv = u.sessionVersion;
        token.lang = u.language;
      }
      return token;
    },
    async session({ session, token }) {
      return { ...session, userId: token.sub, sv: token.sv };
    },
  },
};

declare module "next-auth/jwt" {
  interface JWT {
    sv?: number;
    lang?: string;
  }
}
