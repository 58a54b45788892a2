import { ForgotForm } from "@/components/auth/forgot-form";

export default function ForgotPage() {
  return <ForgotForm />;
}
